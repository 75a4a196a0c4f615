package dev.bazaar.gateway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation stands on its own: every relative link in the repository's Markdown (README.md,
 * docs/**, each module's README.md) names a file or folder that exists inside the checkout, and so
 * does every {@code ../} path they mention, linked or not: nothing points outside it.
 */
class DocsLinksTest {
  private static final Path ROOT = Repository.root();
  /** {@code [text](target)} and {@code ![alt](target "title")}; the target up to a space or ')'. */
  private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  /** {@code [label]: target}. */
  private static final Pattern REFERENCE_LINK = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
  /** A path climbing out of its folder, linked or not: {@code ../x}, {@code ../../y/z.md}; it must exist in the checkout. */
  private static final Pattern PARENT_PATH = Pattern.compile("(?<![\\w.])((?:\\.\\./)+[\\w.@+/-]*)");
  private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "node_modules", "target", ".bazaar", ".idea");

  @Test
  void everyLinkAndParentPathInTheDocsResolvesInsideTheRepository() {
    List<Path> documents = markdownFiles();
    assertThat(documents).as("Markdown files found").contains(ROOT.resolve("README.md"))
      .anyMatch(p -> p.startsWith(ROOT.resolve("docs")))
      .anyMatch(p -> p.startsWith(ROOT.resolve("verticles")));
    List<String> problems = new ArrayList<>();
    documents.forEach(document -> problems.addAll(problems(document, Repository.read(document))));
    assertThat(problems).as("links and ../ paths that are broken or leave the repository").isEmpty();
  }

  @Test
  void theCheckSeesBrokenAndOutsideLinks() {
    Path document = ROOT.resolve("docs/EXAMPLE.md");
    assertThat(problems(document, """
      The contract is [design](../shared/DESIGN.md), see also `../../elsewhere/STYLE.md`
      and [x][y] and [status](STATUS.md#status), [top](#top), [web](https://vertx.io).

      [y]: NOPE.md "a title"

      ```sh
      cat ../shared/IN-CODE.md   # a ../ path in a code block is still a path
      ```
      """)).containsExactlyInAnyOrder(
      "docs/EXAMPLE.md: link ../shared/DESIGN.md does not exist",
      "docs/EXAMPLE.md: link NOPE.md does not exist",
      "docs/EXAMPLE.md: path ../shared/DESIGN.md does not exist",
      "docs/EXAMPLE.md: path ../../elsewhere/STYLE.md points outside the repository",
      "docs/EXAMPLE.md: path ../shared/IN-CODE.md does not exist");
  }

  /** What is wrong with the links and {@code ../} paths of one document. */
  private static List<String> problems(Path document, String text) {
    List<String> problems = new ArrayList<>();
    for (String target : links(text)) {
      String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
      if (!isExternal(target) && !file.isEmpty()) { // an empty file part is an anchor in the same document
        check(document, "link", target, decode(file), problems);
      }
    }
    Matcher m = PARENT_PATH.matcher(text);
    while (m.find()) {
      check(document, "path", m.group(1), m.group(1), problems);
    }
    return problems;
  }

  private static void check(Path document, String kind, String target, String file, List<String> problems) {
    Path resolved = document.getParent().resolve(file).normalize();
    String where = ROOT.relativize(document) + ": " + kind + " " + target;
    if (!resolved.startsWith(ROOT)) {
      problems.add(where + " points outside the repository");
    } else if (!Files.exists(resolved)) {
      problems.add(where + " does not exist");
    }
  }

  private static List<String> links(String markdown) {
    List<String> targets = new ArrayList<>();
    String text = withoutFencedCode(markdown);
    for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_LINK)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        targets.add(m.group(1));
      }
    }
    return targets;
  }

  /** Code blocks hold shell and JSON, where {@code ](} is not a link. */
  private static String withoutFencedCode(String markdown) {
    return markdown.replaceAll("(?ms)^\\s*```.*?^\\s*```", "");
  }

  private static boolean isExternal(String target) {
    return target.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
  }

  private static String decode(String path) {
    return java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<Path> markdownFiles() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
        .filter(p -> p.toString().endsWith(".md"))
        .filter(p -> Stream.of(ROOT.relativize(p).toString().split("[/\\\\]")).noneMatch(SKIPPED_FOLDERS::contains))
        .sorted()
        .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
