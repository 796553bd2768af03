package io.vigie.decoder.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cayenne Low Power Payload decoder: a frame is a sequence of {@code channel | type | data}
 * items, data big-endian, sized by the type. A frame that ends inside an item (even after its
 * channel byte only) or holds an unknown type is rejected whole: half a frame is not trusted.
 */
public final class CayenneLpp {
  private CayenneLpp() {}

  /**
   * @throws CodecException when the frame is truncated or holds an unknown type
   */
  public static List<LppItem> decode(byte[] frame) {
    var items = new ArrayList<LppItem>();
    int offset = 0;
    while (offset < frame.length) {
      if (frame.length - offset < 2) {
        throw new CodecException(String.format(Locale.ROOT,
            "truncated frame: 1 byte left at offset %d, an item needs a channel and a type byte", offset));
      }
      int channel = frame[offset] & 0xff;
      int code = frame[offset + 1] & 0xff;
      var type = LppType.byCode(code).orElse(null);
      if (type == null) {
        throw new CodecException(String.format(Locale.ROOT,
            "unknown Cayenne LPP type %d (0x%02x) on channel %d at offset %d", code, code, channel, offset + 1));
      }
      int start = offset + 2;
      if (frame.length - start < type.size()) {
        throw new CodecException(String.format(Locale.ROOT,
            "truncated frame: %s on channel %d needs %d data bytes, %d left", type.ipsoName(), channel, type.size(),
            frame.length - start));
      }
      var raw = new ArrayList<Integer>(type.count());
      for (int i = 0; i < type.count(); i++) {
        raw.add(read(frame, start + i * type.bytesPerValue(), type.bytesPerValue(), type.signed()));
      }
      items.add(new LppItem(channel, type, raw));
      offset = start + type.size();
    }
    return items;
  }

  /** A big-endian integer of 1 to 3 bytes, sign-extended when {@code signed}. */
  static int read(byte[] frame, int offset, int length, boolean signed) {
    int value = 0;
    for (int i = 0; i < length; i++) value = (value << 8) | (frame[offset + i] & 0xff);
    if (signed) {
      int shift = 32 - 8 * length;
      value = (value << shift) >> shift;
    }
    return value;
  }
}
