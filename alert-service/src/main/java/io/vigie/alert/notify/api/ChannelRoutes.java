package io.vigie.alert.notify.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.alert.notify.WebhookAddresses;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Transition;
import io.vigie.alert.notify.store.ChannelStore;
import io.vigie.alert.notify.store.ChannelStore.Stored;
import io.vigie.alert.notify.store.DeliveryLog;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.audit.AuditLog;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.registry.client.RegistryClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * {@code PUT|GET|DELETE /api/v1/notification-channels/{id}}, {@code GET /api/v1/notification-channels?nodeId=…}
 * (those on that node or below), {@code POST …/{id}/test} (one attempt, answered) and {@code GET …/{id}/deliveries}.
 * Anyone may read what their scopes cover (never a secret); operators and admins put, delete and test there.
 */
public final class ChannelRoutes {
  private static final String BASE = "/api/v1/notification-channels";

  /** One test notification to a channel: {@code {"delivered","status"?,"error"?}}. */
  public interface Tester {
    Future<JsonObject> send(Channel channel, Transition transition);
  }

  /** What the routes use. */
  public record Services(ChannelStore store, DeliveryLog deliveries, RegistryClient registry, boolean smtpConfigured,
                         WebhookAddresses webhookAddresses, AuditLog audit, Tester tester) {}

  private final Services s;

  private ChannelRoutes(Services services) {
    this.s = services;
  }

  public static void mount(Router router, TokenVerifier verifier, Services services) {
    var routes = new ChannelRoutes(services);
    router.route(BASE + "*").handler(BodyHandler.create().setBodyLimit(SilenceRoutes.BODY_LIMIT))
        .handler(new AuthHandler(verifier));
    router.put(BASE + "/:id").handler(routes::put);
    router.get(BASE).handler(routes::list);
    router.get(BASE + "/:id").handler(ctx -> routes.visible(ctx).onSuccess(c -> ctx.json(c.channel().toJson()))
        .onFailure(ctx::fail));
    router.delete(BASE + "/:id").handler(routes::delete);
    router.post(BASE + "/:id/test").handler(routes::test);
    router.get(BASE + "/:id/deliveries").handler(routes::deliveries);
  }

  private void put(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    var body = ctx.body().asJsonObject();
    s.store().get(principal.tenant(), id).compose(previous -> {
      var old = previous.orElse(null);
      if (old != null) {
        if (!Scopes.sees(principal, old.channel().tenant(), old.pathIds())) {
          throw ApiException.conflict("the channel id " + id + " is taken: choose another");
        }
        Scopes.require(principal, Access.Action.MANAGE_DEVICES, principal.tenant(), old.pathIds(), "change this channel");
      }
      var channel = Channel.parse(id, principal.tenant(), body, old == null ? null : old.channel());
      if (channel.kind() == Channel.Kind.EMAIL && !s.smtpConfigured()) {
        throw ApiException.badRequest("email channels need SMTP: set VIGIE_SMTP_HOST and VIGIE_SMTP_FROM "
            + "(see docs/alerts.md)");
      }
      if (channel.kind() == Channel.Kind.WEBHOOK) {
        s.webhookAddresses().refusalBeforeResolving(channel.url()).ifPresent(refusal -> {
          throw ApiException.badRequest("url: " + refusal);
        });
      }
      return Scopes.target(s.registry(), principal, channel.nodeId(), null).compose(scope -> {
        Scopes.require(principal, Access.Action.MANAGE_DEVICES, scope.tenant(), scope.pathIds(), "put a channel here");
        var stored = new Stored(channel, scope.pathIds());
        return s.store().put(stored, old).map(v -> {
          s.audit().record(event(principal, old == null ? "create" : "update", stored).changes(
              old == null ? null : withSecret(old.channel()), withSecret(channel)));
          ctx.response().setStatusCode(old == null ? 201 : 200);
          return channel;
        });
      });
    }).onSuccess(channel -> ctx.json(channel.toJson())).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var nodeId = ctx.queryParams().get("nodeId");
    s.store().all(principal.tenant())
        .map(all -> all.stream()
            .filter(c -> Scopes.sees(principal, c.channel().tenant(), c.pathIds()))
            .filter(c -> nodeId == null || c.pathIds().contains(nodeId))
            .map(Stored::channel).sorted(Comparator.comparing(Channel::id)).map(Channel::toJson).toList())
        .onSuccess(channels -> ctx.json(new JsonObject().put("channels", new JsonArray(channels))))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    visible(ctx).compose(found -> {
      Scopes.require(principal, Access.Action.MANAGE_DEVICES, found.channel().tenant(), found.pathIds(), "delete a channel");
      return s.store().delete(found.channel())
          .compose(v -> s.deliveries().forget(found.channel().tenant(), found.channel().id()))
          .onSuccess(v -> s.audit().record(event(principal, "delete", found).changes(withSecret(found.channel()), null)));
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private static AuditEvent event(VigiePrincipal principal, String action, Stored stored) {
    return AuditEvent.by(principal, action, "channel", stored.channel().id()).place(stored.channel().tenant(), stored.pathIds());
  }

  /** The channel's public JSON and its secret, which the audit redaction turns into {@code {"changed":true}}. */
  private static JsonObject withSecret(Channel channel) {
    var json = channel.toJson();
    if (channel.secret() != null) json.put("secret", channel.secret());
    return json;
  }

  private void test(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    visible(ctx).compose(found -> {
      Scopes.require(principal, Access.Action.MANAGE_DEVICES, found.channel().tenant(), found.pathIds(), "test a channel");
      return s.tester().send(found.channel(), sample(principal, found));
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void deliveries(RoutingContext ctx) {
    visible(ctx).compose(found -> s.deliveries().recent(found.channel().tenant(), found.channel().id()))
        .onSuccess(list -> ctx.json(new JsonObject().put("deliveries", new JsonArray(list)))).onFailure(ctx::fail);
  }

  /** The channel of the path, when the caller sees it; else 404. */
  private Future<Stored> visible(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var id = ctx.pathParam("id");
    return s.store().get(principal.tenant(), id)
        .compose(found -> found.isPresent() && Scopes.sees(principal, found.get().channel().tenant(), found.get().pathIds())
            ? Future.succeededFuture(found.get()) : Future.<Stored>failedFuture(ApiException.notFound("no channel " + id)));
  }

  /** A made-up transition, marked {@code "test":true}, of the channel's node. */
  private static Transition sample(VigiePrincipal principal, Stored found) {
    var channel = found.channel();
    var now = Instant.now().toString();
    var severity = channel.minSeverity() == null ? "warning" : channel.minSeverity().wire();
    var alert = new JsonObject().put("id", "test-" + UUID.randomUUID()).put("test", true)
        .put("ruleId", "test").put("ruleName", "Test / essai").put("kind", "test").put("severity", severity)
        .put("status", "active").put("startedAt", now).put("path", new JsonArray(found.pathIds()))
        .put("nodeId", channel.nodeId()).put("tenantId", channel.tenant()).put("transition", "test")
        .put("at", now).put("by", principal.subject());
    return Transition.parse(alert.encode());
  }
}
