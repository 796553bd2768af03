package io.vigie.alert.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vigie.alert.config.SmtpConfig;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.EmailText;
import io.vigie.alert.notify.domain.Transition;
import io.vigie.registry.client.RegistryClient;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Notifies by email over SMTP ({@code vertx-mail-client}): one message per transition to the channel's addresses,
 * in its language (or both), naming the device and where it is as the registry knows them (its ids when the registry
 * does not answer). Without SMTP configured every attempt fails, not retried: "smtp not configured".
 */
final class EmailSender implements Sender {
  static final String NOT_CONFIGURED = "smtp not configured";

  private final SmtpConfig smtp;
  private final MailClient client;
  private final RegistryClient registry;
  private final long timeoutMs;

  EmailSender(Vertx vertx, SmtpConfig smtp, RegistryClient registry, long timeoutMs) {
    this.smtp = smtp;
    this.registry = registry;
    this.timeoutMs = timeoutMs;
    this.client = smtp.configured() ? MailClient.create(vertx, mailConfig(smtp, timeoutMs)) : null;
  }

  boolean configured() {
    return client != null;
  }

  @Override
  public Future<Attempt> send(Channel channel, Transition transition, String deliveryId) {
    if (client == null) return Future.succeededFuture(Attempt.failed(null, NOT_CONFIGURED, false));
    return names(transition).compose(names -> {
      var text = EmailText.of(transition, names.device(), names.where(), channel.lang());
      var message = new MailMessage().setFrom(smtp.from()).setTo(channel.to())
          .setSubject(text.subject()).setText(text.body());
      return client.sendMail(message).timeout(timeoutMs, TimeUnit.MILLISECONDS);
    }).map(sent -> Attempt.delivered(null))
        .otherwise(failure -> Attempt.failed(null, "SMTP: " + failure.getMessage(), true));
  }

  private record Names(String device, List<String> where) {}

  /** The device's name and its path's names, or nulls when the registry cannot say. */
  private Future<Names> names(Transition transition) {
    if (transition.devEui() == null) return Future.succeededFuture(new Names(null, null));
    return registry.device(transition.devEui())
        .map(device -> new Names(device.name(), device.path().stream().map(e -> e.name() != null ? e.name() : e.id()).toList()))
        .otherwise(new Names(null, null));
  }

  private static MailConfig mailConfig(SmtpConfig smtp, long timeoutMs) {
    var config = new MailConfig().setHostname(smtp.host()).setPort(smtp.port()).setSsl(smtp.ssl())
        .setStarttls(StartTLSOptions.valueOf(smtp.starttls().toUpperCase(Locale.ROOT)))
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setKeepAlive(true).setMaxPoolSize(4);
    if (smtp.username() != null) {
      config.setLogin(LoginOption.REQUIRED).setUsername(smtp.username()).setPassword(smtp.password());
    } else {
      config.setLogin(LoginOption.DISABLED);
    }
    return config;
  }
}
