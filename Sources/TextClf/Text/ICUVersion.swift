/// The versions a build of textclf reports: its own, and that of the ICU library it tokenizes
/// with.
public enum Versions {
    /// The version of ICU that textclf tokenizes with, as "major.minor" (e.g. "72.1"). Model
    /// files record it, because ICU's word segmentation may change between versions.
    public static let icu: String = ICU.version

    /// The version of textclf itself.
    public static let textclf = "0.1.0"
}
