/// The notation slips a name can carry, as the notation rules see them, for the features that
/// offer names back to the writer: completion never proposes a division that a rule would flag.
public enum NotationSlips {
  /// Whether `name` ends with its last kanji twice (doubled-character) or holds a variant glyph
  /// (variant-glyph).
  public static func inName(_ name: String) -> Bool {
    if DoubledCharacterRule.doubledLast(of: name) != nil { return true }
    var found = false
    Array(name.utf8).withUnsafeBufferPointer { bytes in
      VariantGlyphs.scan(bytes, in: 0..<bytes.count) { _, _ in found = true }
    }
    return found
  }
}
