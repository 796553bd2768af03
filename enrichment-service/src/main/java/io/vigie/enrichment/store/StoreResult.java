package io.vigie.enrichment.store;

/**
 * What became of one write.
 *
 * @param id the document id (the uplink id)
 * @param index the index that holds it
 * @param duplicate true when a document with this id was already there (nothing was written)
 */
public record StoreResult(String id, String index, boolean duplicate) {}
