package dev.bazaar.platform.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for requests an HTTP client library refuses to send (hundreds of
 * headers, huge request lines, dot segments left as they are, absolute-form targets).
 */
public final class RawHttp {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

  private RawHttp() {
  }

  /** One answer: status, headers and body as text. */
  public record Answer(int status, String head, String body) {
    public String header(String name) {
      Matcher matcher = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\s*$").matcher(head);
      return matcher.find() ? matcher.group(1) : null;
    }

    static Answer parse(String raw) {
      if (!raw.startsWith("HTTP/1.")) {
        throw new AssertionError("not an HTTP answer: " + raw);
      }
      int end = raw.indexOf("\r\n\r\n");
      return new Answer(Integer.parseInt(raw.substring(9, 12)), end < 0 ? raw : raw.substring(0, end), end < 0 ? "" : raw.substring(end + 4));
    }
  }

  /** Sends {@code request} as it is and reads the answer (until it is complete or the server closes). */
  public static Answer exchange(int port, String request) throws IOException {
    return exchange(InetAddress.getByName("127.0.0.1"), port, request);
  }

  /** {@link #exchange(int, String)} from the local address {@code from} (another loopback address is another client). */
  public static Answer exchange(InetAddress from, int port, String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0)) {
      socket.setSoTimeout(15_000);
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the server may answer and close before it has read everything (431, 413): read what it said
      }
      return Answer.parse(read(socket.getInputStream()));
    }
  }

  /** A GET of {@code target} (sent as written) with {@code extraHeaders} (each ending in CRLF). */
  public static String get(String target, String extraHeaders) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + extraHeaders + "\r\n";
  }

  /** A POST of a JSON {@code body} to {@code path}. */
  public static String postJson(String path, String body, String extraHeaders) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
      + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + extraHeaders + "\r\n" + body;
  }

  /** {@code count} made-up headers, CRLF-terminated. */
  public static String manyHeaders(int count) {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < count; i++) {
      headers.append("X-Header-").append(i).append(": ").append(i).append("\r\n");
    }
    return headers.toString();
  }

  /** Reads until the server closes, or until a complete response with Content-Length has arrived. */
  public static Answer read(Socket socket) throws IOException {
    return Answer.parse(read(socket.getInputStream()));
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        bytes.write(buffer, 0, n);
        if (complete(bytes.toString(StandardCharsets.UTF_8))) {
          break;
        }
      }
    } catch (SocketTimeoutException | SocketException e) {
      // what arrived is the answer
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean complete(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    Matcher matcher = CONTENT_LENGTH.matcher(raw.substring(0, end));
    return matcher.find() && raw.length() - end - 4 >= Integer.parseInt(matcher.group(1));
  }
}
