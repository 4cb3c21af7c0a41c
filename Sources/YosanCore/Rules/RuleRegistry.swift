/// Every rule, in alphabetical order of type name within each kind (a rule that is both a file and
/// an item rule is in both lists). A test fails when a rule file exists that is not listed here,
/// or when two rules share an id.
public enum RuleRegistry {
  static let fileRules: [any FileRule.Type] = [
    DuplicateKeyRule.self,
    FullwidthCharacterRule.self,
    InvalidIdRule.self,
    InvalidUTF8Rule.self,
    KanjiOneRule.self,
    MalformedAmountRule.self,
    MalformedRateRule.self,
    MalformedSharesRule.self,
    MalformedValueRuleGeneral.self,
    MalformedYearRule.self,
    MisplacedBlockRule.self,
    MisplacedKeyRule.self,
    MissingRequiredKeyRule.self,
    MissingTitleRule.self,
    NonexistentYearRule.self,
    SectionTotalRule.self,
    SyntaxErrorRule.self,
    TitleQuotesRule.self,
    TitleYearRule.self,
    UnitSpacingRule.self,
    UnknownBlockRule.self,
    UnknownKeyRule.self,
    UnknownUnitRule.self,
    UnverifiableSumRule.self,
    VariantGlyphRule.self,
  ]

  static let itemRules: [any ItemRule.Type] = [
    BookingSplitSumRule.self,
    BreakdownSumRule.self,
    CapBelowFloorRule.self,
    ConflictingTagsRule.self,
    DashNoneRule.self,
    DoubledCharacterRule.self,
    DuplicateSharePartyRule.self,
    ExpandedDecreaseRule.self,
    ExpandedMissingPreviousRule.self,
    ExpandedWithoutPreviousRule.self,
    FullwidthCharacterRule.self,
    KanjiOneRule.self,
    LargeIncreaseRule.self,
    MissingNewTagRule.self,
    MultiYearRangeRule.self,
    NegativeRequestRule.self,
    NewWithPreviousRule.self,
    NonexistentYearRule.self,
    NonpositiveShareRule.self,
    OfWhichSumRule.self,
    PriorityWithoutIncreaseRule.self,
    RateRangeRule.self,
    RateShareMismatchRule.self,
    ShareSumRule.self,
    SubItemSumRule.self,
    SupplementaryYearRule.self,
    TitleQuotesRule.self,
    TitleYearRule.self,
    UnitSpacingRule.self,
    UnverifiableSumRule.self,
  ]

  /// The ids of the file rules that report places inside items when they check the shell.
  static let shellRulesReportingItemPlaces: Set<String> = {
    var ids = Set<String>()
    for rule in fileRules where reportsItemPlaces(rule) { ids.insert(rule.descriptor.id) }
    return ids
  }()

  static func reportsItemPlaces<R: FileRule>(_ rule: R.Type) -> Bool { rule.reportsItemPlacesFromShell }

  static let workspaceRules: [any WorkspaceRule.Type] = [
    DuplicateIdRule.self,
    ReferenceCycleRule.self,
    UnknownReferenceRule.self,
  ]

  static let suppressionRules: [any SuppressionRule.Type] = [
    InvalidSuppressionRule.self,
    SuppressionWithoutReasonRule.self,
    UnusedSuppressionRule.self,
  ]

  /// Every rule's metadata, ordered by category then id. A rule that is both a file and an item
  /// rule is listed once.
  public static let descriptors: [RuleDescriptor] = {
    var seen = Set<ObjectIdentifier>()
    let types: [any Rule.Type] = fileRules.map { $0 } + itemRules.map { $0 } + workspaceRules.map { $0 } + suppressionRules.map { $0 }
    let all = types.filter { seen.insert(ObjectIdentifier($0)).inserted }.map { $0.descriptor }
    let categoryOrder = Dictionary(uniqueKeysWithValues: RuleCategory.allCases.enumerated().map { ($1, $0) })
    return all.sorted { (categoryOrder[$0.category]!, $0.id) < (categoryOrder[$1.category]!, $1.id) }
  }()

  public static func descriptor(id: String) -> RuleDescriptor? { byID[id] }

  static let byID = Dictionary(uniqueKeysWithValues: descriptors.map { ($0.id, $0) })

  /// The rule ids, for suggestions.
  public static let idSuggestions = SuggestionIndex(descriptors.map(\.id))

  /// The names of the rule types, for the registry test.
  public static var typeNames: [String] {
    fileRules.map { String(describing: $0) } + itemRules.map { String(describing: $0) } + workspaceRules.map { String(describing: $0) }
      + suppressionRules.map { String(describing: $0) }
  }
}
