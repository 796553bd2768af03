package io.vigie.decoder.domain;

/** A payload the codec cannot decode; the message says where and why. The uplink is kept anyway. */
public final class CodecException extends RuntimeException {
  public CodecException(String message) {
    super(message, null, false, false);
  }
}
