package io.vigie.registry.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.domain.DeviceType;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.store.DeviceStore;
import java.util.List;
import java.util.Set;

/**
 * {@code PUT|GET /api/v1/device-types/{id}}, {@code GET /api/v1/device-types},
 * {@code POST /api/v1/device-types/{id}/test}. Device types belong to the whole tenant: every user of the tenant
 * reads them; writing needs device management on the tenant root. A JavaScript codec may carry examples (TTN
 * device-repository form); a codec whose examples fail is not activated (422 with each example's verdict).
 */
public final class DeviceTypeRoutes {
  static final int SCRIPT_MAX = 256 * 1024;
  static final int EXAMPLES_MAX = 100;
  private static final Set<String> CODECS = Set.of("cayenne-lpp", "javascript", "none");

  private final DeviceStore devices;
  private final Changes changes;
  private final CodecExamples examples;

  public DeviceTypeRoutes(DeviceStore devices, Changes changes, CodecExamples examples) {
    this.devices = devices;
    this.changes = changes;
    this.examples = examples;
  }

  public void mount(Router router, AuthHandler auth) {
    router.put("/api/v1/device-types/:id").handler(Requests.bodies(2L * SCRIPT_MAX))
        .handler(auth).handler(this::put);
    router.get("/api/v1/device-types/:id").handler(auth).handler(this::get);
    router.get("/api/v1/device-types").handler(auth).handler(this::list);
    router.post("/api/v1/device-types/:id/test").handler(Requests.bodies(2L * SCRIPT_MAX))
        .handler(auth).handler(this::test);
  }

  private void put(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    if (!Ids.isId(id)) throw ApiException.badRequest("a device type id must match [A-Za-z0-9._-]{1,64}");
    var type = parse(id, principal.tenant(), Requests.body(ctx));
    NodeAccess.require(principal, Access.Action.MANAGE_DEVICES, principal.tenant(), List.of(principal.tenant()),
        ApiException.forbidden("device types are managed with a scope on the whole tenant"));
    examples.check(type.codec())
        .compose(verdict -> {
          if (!verdict.getBoolean("passed")) {
            ctx.response().setStatusCode(422).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "codec_examples_failed")
                    .put("message", "the codec does not give what its examples expect: it is not activated")
                    .put("results", verdict.getJsonArray("results")).encode());
            return io.vertx.core.Future.succeededFuture();
          }
          return devices.type(type.tenant(), id).compose(before -> devices.putType(type).onSuccess(created -> {
            changes.publish(Kind.DEVICE_TYPE, id, type.tenant());
            changes.audit(Audits.deviceType(principal, type.tenant(), created ? null : before, type));
            if (created) Requests.created(ctx, "/api/v1/device-types/" + id, type.toJson());
            else Requests.ok(ctx, type.toJson());
          })).mapEmpty();
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  /** Runs the stored codec's examples, or the examples of the body against it, and answers each verdict. */
  private void test(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    var notFound = ApiException.notFound("device type '" + id + "' not found");
    if (!Ids.isId(id)) throw notFound;
    var body = ctx.body().length() == 0 ? new JsonObject() : Requests.body(ctx);
    var given = body.getValue("examples");
    if (given != null && !(given instanceof JsonArray)) throw ApiException.badRequest("examples must be an array");
    devices.type(principal.tenant(), id)
        .compose(type -> {
          if (type == null) return io.vertx.core.Future.failedFuture(notFound);
          if (!"javascript".equals(type.codec().getString("kind"))) {
            return io.vertx.core.Future.failedFuture(ApiException.badRequest("only javascript codecs carry examples"));
          }
          var codec = type.codec().copy();
          if (given != null) codec.put("examples", examples((JsonArray) given));
          return examples.check(codec);
        })
        .onSuccess(verdict -> Requests.ok(ctx, verdict))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  static JsonArray examples(JsonArray examples) {
    if (examples.size() > EXAMPLES_MAX) throw ApiException.badRequest("at most " + EXAMPLES_MAX + " codec examples");
    for (int i = 0; i < examples.size(); i++) {
      if (!(examples.getValue(i) instanceof JsonObject example) || !(example.getValue("input") instanceof JsonObject)
          || !(example.getValue("output") instanceof JsonObject)) {
        throw ApiException.badRequest("codec.examples[" + i + "] must be {\"input\":{\"fPort\",\"bytes\"},\"output\":{…}}");
      }
    }
    return examples;
  }

  private void get(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    var notFound = ApiException.notFound("device type '" + id + "' not found");
    if (!Ids.isId(id)) throw notFound;
    devices.type(principal.tenant(), id)
        .onSuccess(type -> {
          if (type == null) ctx.fail(notFound);
          else Requests.ok(ctx, type.toJson());
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    devices.types(principal.tenant())
        .onSuccess(types -> Requests.ok(ctx, new JsonObject().put("deviceTypes",
            new JsonArray(types.stream().map(DeviceType::toJson).toList()))))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  static DeviceType parse(String id, String tenant, JsonObject body) {
    var name = Requests.requiredString(body, "name", Requests.NAME_MAX);
    var codec = Requests.optionalObject(body, "codec");
    if (codec == null) throw ApiException.badRequest("codec is required: {\"kind\":\"cayenne-lpp\"|\"javascript\"|\"none\"}");
    var kind = codec.getValue("kind");
    if (!(kind instanceof String k) || !CODECS.contains(k)) {
      throw ApiException.badRequest("codec.kind must be one of cayenne-lpp, javascript, none");
    }
    var cleanCodec = new JsonObject().put("kind", kind);
    var script = codec.getValue("script");
    if ("javascript".equals(kind)) {
      if (!(script instanceof String s) || s.isBlank()) {
        throw ApiException.badRequest("codec.script is required for a javascript codec (defining decodeUplink(input))");
      }
      if (s.length() > SCRIPT_MAX) throw ApiException.badRequest("codec.script is larger than " + SCRIPT_MAX + " characters");
      cleanCodec.put("script", s);
      if (codec.getValue("variables") instanceof JsonObject variables) cleanCodec.put("variables", variables);
      else if (codec.getValue("variables") != null) throw ApiException.badRequest("codec.variables must be an object");
      if (codec.getValue("examples") instanceof JsonArray given) cleanCodec.put("examples", examples(given));
      else if (codec.getValue("examples") != null) throw ApiException.badRequest("codec.examples must be an array");
    } else if (script != null || codec.getValue("examples") != null) {
      throw ApiException.badRequest("codec.script and codec.examples are only for a javascript codec");
    }
    var measurements = Requests.optionalObject(body, "measurements");
    if (measurements != null) {
      for (var field : measurements.fieldNames()) {
        if (!(measurements.getValue(field) instanceof JsonObject m) || !(m.getValue("name") instanceof String n)
            || n.isBlank() || (m.getValue("unit") != null && !(m.getValue("unit") instanceof String))) {
          throw ApiException.badRequest("measurements." + field + " must be {\"name\":\"…\",\"unit\"?:\"…\"}");
        }
      }
    }
    return new DeviceType(id, tenant, name, cleanCodec, measurements);
  }
}
