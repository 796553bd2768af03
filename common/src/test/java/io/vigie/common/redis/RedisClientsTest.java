package io.vigie.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisClientsTest {

  @Test
  @DisplayName("VIGIE_REDIS_URL lists one URL or several comma-separated, blanks ignored")
  void endpoints() {
    assertThat(RedisClients.endpoints("redis://a:6379")).containsExactly("redis://a:6379");
    assertThat(RedisClients.endpoints(" redis://a:7000, redis://b:7001 ,,redis://c:7002 "))
        .containsExactly("redis://a:7000", "redis://b:7001", "redis://c:7002");
    assertThatThrownBy(() -> RedisClients.endpoints(" , ")).hasMessageContaining("no Redis URL");
  }

  @Test
  @DisplayName("a key's slot is Redis Cluster's: CRC16 of its hash tag, or of the whole key without one")
  void slots() {
    assertThat(RedisClients.slot("123456789")).isEqualTo(0x31C3);
    assertThat(RedisClients.slot("foo")).isEqualTo(12182);
    assertThat(RedisClients.slot("vigie:decoder:fcnt:{0101010101010101}"))
        .isEqualTo(RedisClients.slot("vigie:decoder:recent:{0101010101010101}"))
        .isEqualTo(RedisClients.slot("0101010101010101"));
    assertThat(RedisClients.slot("vigie:{registry}:node:x")).isEqualTo(RedisClients.slot("vigie:{registry}:tenants"));
  }
}
