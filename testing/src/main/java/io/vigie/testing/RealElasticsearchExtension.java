package io.vigie.testing;

import io.vigie.embedded.EmbeddedElasticsearch;

/** The extension behind {@link RealElasticsearch}: starts {@link Infra#elasticsearch()} and injects {@link EmbeddedElasticsearch} parameters. */
public final class RealElasticsearchExtension extends ServerExtension<EmbeddedElasticsearch> {

  public RealElasticsearchExtension() {
    super(EmbeddedElasticsearch.class, Infra::elasticsearch);
  }
}
