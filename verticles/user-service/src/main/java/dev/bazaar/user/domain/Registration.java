package dev.bazaar.user.domain;

import dev.bazaar.platform.validation.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A request to become a user, validated: email (normalised to lower case), password (8 to 72
 * bytes of UTF-8, bcrypt's limit, so no two passwords share a hash by truncation), name.
 */
public record Registration(String email, String password, String name) {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
  public static final int MAX_EMAIL = 254;
  public static final int MAX_NAME = 100;

  /** Every rejected field, empty when valid. */
  public static List<FieldError> problems(Object email, Object password, Object name) {
    List<FieldError> problems = new ArrayList<>();
    if (!(email instanceof String e) || e.isBlank()) {
      problems.add(new FieldError("email", "is required"));
    } else if (e.strip().length() > MAX_EMAIL || !EMAIL.matcher(e.strip()).matches()) {
      problems.add(new FieldError("email", "must be an email address"));
    }
    if (!(password instanceof String p)) {
      problems.add(new FieldError("password", "is required"));
    } else {
      int bytes = p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (p.length() < 8 || bytes > 72) {
        problems.add(new FieldError("password", "must be 8 to 72 bytes long"));
      }
    }
    if (!(name instanceof String n) || n.isBlank()) {
      problems.add(new FieldError("name", "is required"));
    } else if (n.strip().length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
      problems.add(new FieldError("name", "must be 1 to " + MAX_NAME + " printable characters"));
    }
    return problems;
  }

  public static Registration of(String email, String password, String name) {
    return new Registration(email.strip().toLowerCase(), password, name.strip());
  }
}
