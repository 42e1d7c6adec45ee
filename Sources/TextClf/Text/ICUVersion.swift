/// The version of the ICU library that textclf tokenizes with, as "major.minor" (e.g. "72.1").
/// Model files record it, because ICU's word segmentation may change between versions.
public let icuVersion: String = ICU.version

/// The version of textclf itself.
public let textclfVersion = "0.1.0"
