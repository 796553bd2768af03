package io.vigie.alert;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** The alert service's HTTP API as a test calls it: one bearer token per call, answers awaited (10 s at most). */
public interface ApiCalls {
  WebClient http();

  default HttpResponse<Buffer> get(String path, String token) throws Exception {
    return http().get(path).bearerTokenAuthentication(token).send().await(10, SECONDS);
  }

  default HttpResponse<Buffer> put(String path, String token, JsonObject body) throws Exception {
    return http().put(path).bearerTokenAuthentication(token).sendJsonObject(body).await(10, SECONDS);
  }

  default HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return http().post(path).bearerTokenAuthentication(token).sendJsonObject(body).await(10, SECONDS);
  }

  default HttpResponse<Buffer> delete(String path, String token) throws Exception {
    return http().delete(path).bearerTokenAuthentication(token).send().await(10, SECONDS);
  }
}
