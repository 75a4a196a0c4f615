package dev.bazaar.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * Rejects a JSON body nested deeper than {@code maxDepth} or with an array longer than
 * {@code maxArrayItems} (400) before anything parses it: one pass over the bytes counting brackets
 * and commas outside strings, so a hostile body costs no more than reading it. Whether the body is
 * valid JSON is left to the parser that comes after.
 */
public final class JsonLimits implements Handler<RoutingContext> {
  private final int maxDepth;
  private final int maxArrayItems;

  public JsonLimits(int maxDepth, int maxArrayItems) {
    this.maxDepth = maxDepth;
    this.maxArrayItems = maxArrayItems;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (Json.hasBody(ctx) && isJson(ctx.request().getHeader("Content-Type"))) {
      String violation = violation(ctx.body().buffer(), maxDepth, maxArrayItems);
      if (violation != null) {
        ctx.fail(ApiException.badRequest(violation));
        return;
      }
    }
    ctx.next();
  }

  /** JSON or unlabelled (a service parses an unlabelled body as JSON too). */
  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.toLowerCase();
    return type.startsWith("application/json") || type.contains("+json");
  }

  /** What is wrong with {@code body}'s shape, or null when it is within the limits. */
  static String violation(Buffer body, int maxDepth, int maxArrayItems) {
    int length = body.length();
    // per open container: -1 for an object, else the items of the array counted so far
    int[] items = new int[maxDepth + 1];
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < length; i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
        continue;
      }
      switch (b) {
        case '"' -> inString = true;
        case '{', '[' -> {
          if (depth == maxDepth) {
            return "The JSON body is nested deeper than " + maxDepth + " levels.";
          }
          items[depth++] = b == '[' ? 0 : -1;
        }
        case '}', ']' -> depth = Math.max(0, depth - 1);
        case ',' -> {
          if (depth > 0 && items[depth - 1] >= 0 && ++items[depth - 1] >= maxArrayItems) {
            return "A JSON array in the body has more than " + maxArrayItems + " items.";
          }
        }
        default -> {
        }
      }
    }
    return null;
  }
}
