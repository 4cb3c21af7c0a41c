import Testing

extension Tag {
  /// A suite that takes more than about ten seconds (random edits, large and pathological files):
  /// the README's fast set (`swift test --skip …`) leaves these out; `swift test` and CI run them.
  @Tag static var slow: Self
}
