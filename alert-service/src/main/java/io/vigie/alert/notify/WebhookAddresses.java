package io.vigie.alert.notify;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may not go (server-side request forgery, OWASP API7): a tenant's operator types a webhook's URL, so
 * without this one could make Vigie post to its own cluster's services, the cloud's metadata endpoint
 * ({@code 169.254.169.254}) or any private address. Refused: loopback, unspecified, link-local, private (RFC 1918 and
 * IPv6 unique-local), shared address space (RFC 6598), multicast, broadcast and the other special-purpose ranges —
 * unless an operator lists a network in {@code notify.webhookAllowedNetworks} ({@code
 * VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS}, CIDRs, comma-separated), e.g. an on-premises receiver at {@code 10.1.2.3/32}.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) are the IPv4 address to Java, so the IPv4 ranges cover them.
 *
 * <p>Checked twice: when a channel is put (a URL whose host is an address or a {@code localhost} name) and before each
 * delivery, on every address the host name resolves to then; the delivery connects to the address checked, so a name
 * that resolves differently a moment later (DNS rebinding) cannot slip through.
 */
public final class WebhookAddresses {
  private static final List<IpSubnetFilterRule> SPECIAL = Arrays.stream(new String[] {
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
      "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
      "240.0.0.0/4", "::/96", "64:ff9b::/96", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10",
      "fec0::/10", "ff00::/8"})
      .map(WebhookAddresses::rule).toList();

  private final List<IpSubnetFilterRule> allowed;
  private final String allowedText;

  private WebhookAddresses(List<IpSubnetFilterRule> allowed, String allowedText) {
    this.allowed = allowed;
    this.allowedText = allowedText;
  }

  /** The policy with {@code allowedNetworks} (CIDRs, comma-separated, may be blank) let through. */
  public static WebhookAddresses allowing(String allowedNetworks) {
    var text = allowedNetworks == null ? "" : allowedNetworks.trim();
    var rules = text.isEmpty() ? List.<IpSubnetFilterRule>of()
        : Arrays.stream(text.split(",")).map(String::trim).map(WebhookAddresses::rule).toList();
    return new WebhookAddresses(rules, text);
  }

  /** Why {@code address} may not receive webhooks, or empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    var socket = new InetSocketAddress(address, 0);
    if (allowed.stream().anyMatch(rule -> rule.matches(socket))) return Optional.empty();
    if (SPECIAL.stream().noneMatch(rule -> rule.matches(socket)) && !address.isAnyLocalAddress()
        && !address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isSiteLocalAddress()
        && !address.isMulticastAddress()) {
      return Optional.empty();
    }
    return Optional.of(address.getHostAddress() + " is a loopback, private, link-local or otherwise special address: "
        + "webhooks may not go there (an operator can allow a network with VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS"
        + (allowedText.isEmpty() ? "" : ", now '" + allowedText + "'") + ")");
  }

  /**
   * What can be told of {@code url} without resolving its host: why it may not receive webhooks when its host is an
   * address or a {@code localhost} name, else empty (its addresses are checked at each delivery).
   */
  public Optional<String> refusalBeforeResolving(String url) {
    var host = URI.create(url).getHost();
    if (host == null) return Optional.empty();
    var literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    var address = NetUtil.createInetAddressFromIpAddressString(literal);
    if (address != null) return refusal(address);
    var name = literal.toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.endsWith(".localhost") || name.equals("localhost.")) {
      return refusal(InetAddress.getLoopbackAddress());
    }
    return Optional.empty();
  }

  private static IpSubnetFilterRule rule(String cidr) {
    var slash = cidr.indexOf('/');
    try {
      var address = slash < 0 ? cidr : cidr.substring(0, slash);
      if (NetUtil.createInetAddressFromIpAddressString(address) == null) throw new IllegalArgumentException();
      int bits = slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(cidr.substring(slash + 1));
      return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("notify.webhookAllowedNetworks (VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS): '"
          + cidr + "' is not an address or a CIDR like 10.1.2.0/24");
    }
  }
}
