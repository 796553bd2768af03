package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Transition;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Webhooks never reach private, loopback or link-local addresses unless an operator allows the network (SSRF)")
class WebhookAddressesTest {
  private static final WebhookAddresses DEFAULT = WebhookAddresses.allowing("");
  private static Vertx vertx;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    receiver = new WebhookReceiver(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    receiver.close();
    vertx.close().await(10, SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.9.9.9", "10.0.0.7", "172.16.4.2", "172.31.255.255", "192.168.1.10",
      "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.251", "255.255.255.255", "::1", "::", "fe80::1",
      "fd00:ec2::254", "::ffff:10.0.0.1", "64:ff9b::a00:1"})
  @DisplayName("refuses an address of the loopback, private, link-local, shared, multicast or unspecified ranges")
  void refusesSpecialAddresses(String address) throws Exception {
    assertThat(DEFAULT.refusal(InetAddress.getByName(address))).get().asString()
        .contains("may not go there").contains("VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111"})
  @DisplayName("lets a public address through")
  void acceptsPublicAddresses(String address) throws Exception {
    assertThat(DEFAULT.refusal(InetAddress.getByName(address))).isEmpty();
  }

  @Test
  @DisplayName("lets the networks an operator lists through, and only those")
  void allowedNetworks() throws Exception {
    var allowing = WebhookAddresses.allowing("10.1.2.0/24, fd12::1");
    assertThat(allowing.refusal(InetAddress.getByName("10.1.2.77"))).isEmpty();
    assertThat(allowing.refusal(InetAddress.getByName("fd12::1"))).isEmpty();
    assertThat(allowing.refusal(InetAddress.getByName("10.1.3.77"))).get().asString().contains("now '10.1.2.0/24, fd12::1'");
    assertThatThrownBy(() -> WebhookAddresses.allowing("10.1.2.0/40")).hasMessageContaining("'10.1.2.0/40' is not");
    assertThatThrownBy(() -> WebhookAddresses.allowing("intranet")).hasMessageContaining("VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS");
  }

  @ParameterizedTest(name = "{0}: refused at once {1}")
  @CsvSource({"http://169.254.169.254/latest/meta-data/, true", "'http://[::1]:8080/hook', true",
      "http://localhost:9200/_bulk, true", "http://api.localhost/hook, true", "https://hooks.example.com/vigie, false",
      "https://93.184.216.34/vigie, false"})
  @DisplayName("tells at once of a URL whose host is a special address or a localhost name, and leaves host names to delivery")
  void beforeResolving(String url, boolean refused) {
    assertThat(DEFAULT.refusalBeforeResolving(url).isPresent()).isEqualTo(refused);
  }

  @Test
  @DisplayName("a delivery to a host name that resolves to a private address is refused without a request, and not retried")
  void deliveryToAPrivateNameRefused() throws Exception {
    var resolver = resolving(Map.of("rebound.example.test", "10.0.0.7"));
    var attempt = new WebhookSender(vertx, 3000, DEFAULT, resolver)
        .send(channel("http://rebound.example.test:" + port() + "/private"), transition(), "d-1").await(10, SECONDS);
    assertThat(attempt.ok()).isFalse();
    assertThat(attempt.retryable()).isFalse();
    assertThat(attempt.error()).contains("refused: rebound.example.test resolves to 10.0.0.7");
    assertThat(receiver.of("/private")).isEmpty();
  }

  @Test
  @DisplayName("a delivery goes to the address checked, with the URL's host name in Host")
  void deliveryToTheCheckedAddress() throws Exception {
    var resolver = resolving(Map.of("hooks.example.test", "127.0.0.1"));
    var attempt = new WebhookSender(vertx, 3000, WebhookAddresses.allowing("127.0.0.1/32"), resolver)
        .send(channel("http://hooks.example.test:" + port() + "/ok?tenant=a"), transition(), "d-2").await(10, SECONDS);
    assertThat(attempt.ok()).as(String.valueOf(attempt.error())).isTrue();
    var received = receiver.next("/ok");
    assertThat(received.headers().get("host")).isEqualTo("hooks.example.test:" + port());
    assertThat(received.headers().get("x-vigie-delivery")).isEqualTo("d-2");
  }

  @Test
  @DisplayName("the loopback receiver itself is refused when no network is allowed")
  void loopbackRefusedByDefault() throws Exception {
    var attempt = new WebhookSender(vertx, 3000, DEFAULT).send(channel(receiver.url("/loop")), transition(), "d-3")
        .await(10, SECONDS);
    assertThat(attempt.error()).contains("refused: 127.0.0.1 resolves to 127.0.0.1 is a loopback");
    assertThat(receiver.of("/loop")).isEmpty();
  }

  private static WebhookSender.Resolver resolving(Map<String, String> names) {
    return host -> {
      try {
        return Future.succeededFuture(List.of(InetAddress.getByName(names.get(host))));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    };
  }

  private static int port() {
    var url = receiver.url("");
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  private static Channel channel(String url) {
    return new Channel("c", "t1", "n1", Channel.Kind.WEBHOOK, url, "a-secret-of-sixteen+", List.of(), null, null);
  }

  private static Transition transition() {
    return Transition.parse("{\"id\":\"a1\",\"tenantId\":\"t1\",\"transition\":\"raised\",\"severity\":\"major\"}");
  }
}
