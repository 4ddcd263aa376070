// RFC 1035 §5.1 master-file reader: directives ($ORIGIN, $INCLUDE, RFC 2308 §4 $TTL), owner,
// TTL and class defaults, and RDATA via rdata_from_text.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <unordered_map>

#include "zones/character_string.hpp"
#include "zones/master_file.hpp"
#include "zones/master_file_lexer.hpp"
#include "zones/number_text.hpp"
#include "zones/rdata.hpp"
#include "zones/text_excerpt.hpp"

namespace apex {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 16;
constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kReadChunk = 64u << 10;
constexpr std::size_t kShownPathLength = 160;

Error at(const std::string& where, const std::string& message) {
  return Error{where + ": " + message};
}

// A path named in a message: it may come from the file, so it is bounded and escaped too.
std::string shown(const fs::path& path) {
  return excerpt(path.string(), kShownPathLength);
}

// A limit of 0 means none.
std::size_t or_unlimited(std::size_t limit) {
  return limit == 0 ? std::numeric_limits<std::size_t>::max() : limit;
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads a regular file a chunk at a time, each counted against the zone's budget. A device
// or FIFO (/dev/zero, a pipe) is refused before any read: it never ends. The type is checked
// on the opened descriptor, so that the file cannot be swapped between check and read;
// O_NONBLOCK keeps the open of a FIFO from waiting for a writer. A UTF-8 byte order mark at
// the start is no part of the text (RFC 3629 §6); editors on some systems add one.
class FileSource final : public MasterSource {
 public:
  static Result<std::unique_ptr<FileSource>> open(const fs::path& path, std::size_t& octets_read,
                                                  std::size_t limit) {
    auto source = std::unique_ptr<FileSource>(new FileSource(
        ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), octets_read, limit));
    if (source->fd_.get() < 0) return Error{std::strerror(errno)};
    struct stat status {};
    if (::fstat(source->fd_.get(), &status) != 0) return Error{std::strerror(errno)};
    if (S_ISDIR(status.st_mode)) return Error{"is a directory"};
    if (!S_ISREG(status.st_mode))
      return Error{"not a regular file (a device, FIFO or socket is never read)"};
    if (static_cast<std::uintmax_t>(status.st_size) > source->budget_)
      return Error{source->too_large()};
    return source;
  }

  Result<std::size_t> read_more(std::string& text) override {
    const std::size_t before = text.size();
    for (;;) {
      auto n = read_chunk(text);
      if (!n) return n;
      if (!first_) break;
      const std::string_view read = std::string_view(text).substr(before);
      if (*n != 0 && read.size() < kUtf8ByteOrderMark.size() &&
          kUtf8ByteOrderMark.starts_with(read))
        continue;  // too little read yet to tell
      first_ = false;
      if (read.starts_with(kUtf8ByteOrderMark)) text.erase(before, kUtf8ByteOrderMark.size());
      if (text.size() > before || *n == 0) break;
    }
    return text.size() - before;
  }

 private:
  FileSource(int fd, std::size_t& octets_read, std::size_t limit)
      : fd_(fd), octets_read_(octets_read), budget_(limit - octets_read) {}

  std::string too_large() const {
    return "larger than " + std::to_string(budget_) +
           " octets, the limit for a zone with its included files";
  }

  Result<std::size_t> read_chunk(std::string& text) {
    const std::size_t used = text.size();
    text.resize(used + kReadChunk);
    ssize_t n = 0;
    do {
      n = ::read(fd_.get(), text.data() + used, kReadChunk);
    } while (n < 0 && errno == EINTR);
    text.resize(used + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    if (n < 0) return Error{std::strerror(errno)};
    octets_read_ += static_cast<std::size_t>(n);
    read_ += static_cast<std::size_t>(n);
    if (read_ > budget_) return Error{too_large()};  // it grew while being read
    return static_cast<std::size_t>(n);
  }

  FileDescriptor fd_;
  std::size_t& octets_read_;  // of the zone's files
  std::size_t budget_;        // what the zone's limit leaves for this file
  std::size_t read_ = 0;
  bool first_ = true;
};

// Whether canonical is root or below it; both are canonical (absolute, no "..", no links).
bool is_below(const fs::path& canonical, const fs::path& root) {
  auto [r, c] = std::mismatch(root.begin(), root.end(), canonical.begin(), canonical.end());
  // A trailing separator of root is an empty last element.
  return r == root.end() || (std::next(r) == root.end() && r->empty());
}

// "example.com.zone" -> example.com.; "example.com" -> example.com.
Result<Name> origin_from_file_name(const fs::path& path) {
  std::string name = path.filename().string();
  if (name.ends_with(".zone")) name.resize(name.size() - 5);
  auto origin = Name::from_text(name);
  if (!origin)
    return Error{"no origin: the file name does not give one (" + origin.error() +
                 "); give the origin or start with $ORIGIN"};
  return origin;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// An RRset's identity for counting its records: a 64-bit hash of the lower-cased owner and
// the type, so that the count costs a few octets per RRset, not a copy of every owner. Two
// RRsets whose keys collide share one count: that can only refuse a file early, never let
// an RRset past the limit.
std::uint64_t rrset_hash(const Name& owner, RRType type) {
  std::uint64_t h = 0xcbf29ce484222325u;  // FNV-1a
  for (char c : owner.wire_view()) {
    h ^= fold_case(static_cast<std::uint8_t>(c));
    h *= 0x100000001b3u;
  }
  h ^= static_cast<std::uint64_t>(type) << 40;
  h *= 0x100000001b3u;
  return h ^ (h >> 29);
}

class Reader {
 public:
  Reader(std::optional<Name> apex, std::optional<fs::path> top_file,
         const MasterFileOptions& options, const RecordSink& sink)
      : apex_(std::move(apex)), top_file_(std::move(top_file)), options_(options), sink_(sink) {
    origin_ = apex_;
  }

  Result<std::unique_ptr<FileSource>> open(const fs::path& path);
  Status read_lexer(MasterLexer& lexer, const std::string& source, const fs::path& dir, int depth);
  Status read_text(std::string_view text, const std::string& source, const fs::path& dir,
                   int depth);
  Result<Name> finish(const std::string& source);
  MasterLexer::Options lexer_options() const;
  void enter_file(const fs::path& canonical) { include_stack_.push_back(canonical); }

 private:
  // A record held back until its TTL is known, or because one before it is.
  struct Held {
    Record record;
    bool pending_ttl;
    std::string where;
  };

  Result<Name> current_origin();
  Status entry(const MasterEntry& e, const std::string& where, const fs::path& dir, int depth);
  Status directive_origin(const MasterEntry& e, const std::string& where);
  Status directive_ttl(const MasterEntry& e, const std::string& where);
  Status directive_include(const MasterEntry& e, const std::string& where, const fs::path& dir,
                           int depth);
  Result<fs::path> include_allowed(const fs::path& path, const std::string& where) const;
  Status record(const MasterEntry& e, const std::string& where);
  Status ttl_and_class(const MasterEntry& e, const std::string& where, std::size_t& i,
                       std::optional<std::uint32_t>& ttl);
  Status add_record(Record record, std::optional<std::uint32_t> ttl, const std::string& where);
  void note_soa_minimum(const Record& record);
  Status release_held();

  std::optional<Name> apex_;
  std::optional<fs::path> top_file_;
  const MasterFileOptions& options_;
  const RecordSink& sink_;
  std::size_t octets_read_ = 0;  // of every file read so far
  std::optional<Name> origin_;   // the current $ORIGIN; unset until known
  std::optional<Name> last_owner_;
  std::optional<std::uint32_t> dollar_ttl_;
  std::optional<std::uint32_t> last_ttl_;
  std::optional<std::uint32_t> soa_minimum_;  // of the first apex SOA
  std::size_t records_ = 0;
  // From the first record without a TTL until the apex SOA gives it: records keep file order.
  std::vector<Held> held_;
  std::vector<fs::path> include_stack_;
  std::unordered_map<std::uint64_t, std::uint32_t> rrset_sizes_;
};

// A file opened for reading, counted against the limit for the zone.
Result<std::unique_ptr<FileSource>> Reader::open(const fs::path& path) {
  return FileSource::open(path, octets_read_, or_unlimited(options_.limits.max_zone_octets));
}

MasterLexer::Options Reader::lexer_options() const {
  MasterLexer::Options options;
  options.max_line_octets = options_.limits.max_line_octets;
  return options;
}

// The origin in force; without a given origin or an earlier $ORIGIN it is the file name's.
Result<Name> Reader::current_origin() {
  if (origin_) return *origin_;
  if (!top_file_) return Error{"no origin"};
  auto origin = origin_from_file_name(*top_file_);
  if (!origin) return origin;
  apex_ = origin_ = *origin;
  return origin;
}

Status Reader::read_text(std::string_view text, const std::string& source, const fs::path& dir,
                         int depth) {
  // RFC 3629 §6: a byte order mark is no part of the text; editors on some systems add one.
  if (text.starts_with(kUtf8ByteOrderMark)) text.remove_prefix(kUtf8ByteOrderMark.size());
  MasterLexer lexer(text, lexer_options());
  return read_lexer(lexer, source, dir, depth);
}

Status Reader::read_lexer(MasterLexer& lexer, const std::string& source, const fs::path& dir,
                          int depth) {
  for (;;) {
    auto e = lexer.next();
    if (!e) return at(source + ":" + std::to_string(lexer.error_line()), e.error());
    if (!*e) return Ok{};
    std::string where = source + ":" + std::to_string((*e)->line);
    if (auto ok = entry(**e, where, dir, depth); !ok) return ok;
  }
}

Status Reader::entry(const MasterEntry& e, const std::string& where, const fs::path& dir,
                     int depth) {
  const std::string& first = e.fields[0];
  if (first == "$ORIGIN") return directive_origin(e, where);
  if (first == "$TTL") return directive_ttl(e, where);
  if (first == "$INCLUDE") return directive_include(e, where, dir, depth);
  if (first.starts_with('$')) return at(where, "unsupported directive " + excerpt(first));
  return record(e, where);
}

Status Reader::directive_origin(const MasterEntry& e, const std::string& where) {
  if (e.fields.size() != 2) return at(where, "$ORIGIN takes one domain name");
  // Before any origin is known a name without its trailing dot can only mean the absolute one.
  auto origin = origin_ ? Name::from_text(e.fields[1], *origin_) : Name::from_text(e.fields[1]);
  if (!origin) return at(where, "$ORIGIN: " + origin.error());
  if (!apex_) apex_ = *origin;  // the file's first $ORIGIN before any record names the zone
  origin_ = *origin;
  return Ok{};
}

Status Reader::directive_ttl(const MasterEntry& e, const std::string& where) {
  if (e.fields.size() != 2) return at(where, "$TTL takes one TTL");
  auto ttl = parse_time_value(e.fields[1]);
  if (!ttl || *ttl > kMaxTtl)
    return at(where, "$TTL: " + quoted_excerpt(e.fields[1]) +
                         " is not a TTL from 0 to 2147483647 seconds");
  dollar_ttl_ = *ttl;
  return Ok{};
}

// RFC 1035 §5.1: "$INCLUDE <file-name> [<domain-name>]"; the included file's $ORIGIN changes
// do not leak back into the including file.
Status Reader::directive_include(const MasterEntry& e, const std::string& where,
                                 const fs::path& dir, int depth) {
  if (e.fields.size() < 2 || e.fields.size() > 3)
    return at(where, "$INCLUDE takes a file name and an optional origin");
  auto file = parse_character_string(e.fields[1], 4096);
  if (!file)
    return at(where, "$INCLUDE file name " + quoted_excerpt(e.fields[1]) + " " + file.error());
  fs::path path = fs::path(*file).is_absolute() ? fs::path(*file) : dir / *file;
  auto canonical = include_allowed(path, where);
  if (!canonical) return Error{canonical.error()};
  auto origin = current_origin();
  if (!origin) return at(where, origin.error());
  if (e.fields.size() == 3) origin = Name::from_text(e.fields[2], *origin);
  if (!origin) return at(where, "$INCLUDE origin: " + origin.error());
  if (depth + 1 > kMaxIncludeDepth)
    return at(where, "$INCLUDE nested more than " + std::to_string(kMaxIncludeDepth) + " deep");
  for (const auto& included : include_stack_)
    if (included == *canonical)
      return at(where, "$INCLUDE loop: " + shown(path) + " is already open");
  // The canonical path is read: the one that was checked to be below the root.
  auto source = open(*canonical);
  if (!source) return at(where, "$INCLUDE cannot read " + shown(path) + ": " + source.error());
  auto saved_origin = origin_;
  origin_ = *origin;
  include_stack_.push_back(*canonical);
  MasterLexer lexer(**source, lexer_options());
  auto ok = read_lexer(lexer, shown(path), path.parent_path(), depth + 1);
  include_stack_.pop_back();
  origin_ = saved_origin;
  return ok;
}

// Included files come from a stranger's text, so only those below the include root are read,
// after resolving symbolic links and "..": not /etc/shadow, nor a link to it in the root.
// Refusals name the path, never content. The result is the canonical path.
Result<fs::path> Reader::include_allowed(const fs::path& path, const std::string& where) const {
  if (!options_.include_root) {
    std::string hint = options_.include_hint.empty() ? "" : " (" + options_.include_hint + ")";
    return at(where, "$INCLUDE " + shown(path) + " refused: including files is not allowed" + hint);
  }
  std::error_code ec;
  const fs::path root = fs::canonical(*options_.include_root, ec);
  if (ec)
    return at(where, "$INCLUDE refused: the include directory " + shown(*options_.include_root) +
                         ": " + ec.message());
  const fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) return at(where, "$INCLUDE cannot read " + shown(path) + ": " + ec.message());
  if (!is_below(canonical, root)) {
    std::string resolved = canonical == path ? "" : " (it resolves to " + shown(canonical) + ")";
    return at(where, "$INCLUDE " + shown(path) + " refused: not below the include directory " +
                         shown(root) + resolved);
  }
  return canonical;
}

// RFC 1035 §5.1: [<TTL>] [<class>] or [<class>] [<TTL>] before the type.
Status Reader::ttl_and_class(const MasterEntry& e, const std::string& where, std::size_t& i,
                             std::optional<std::uint32_t>& ttl) {
  std::optional<RRClass> rrclass;
  for (; i < e.fields.size(); ++i) {
    const std::string& field = e.fields[i];
    if (!ttl && is_digit(field[0])) {
      ttl = parse_time_value(field);
      if (!ttl || *ttl > kMaxTtl)
        return at(where, "TTL " + quoted_excerpt(field) +
                             " is not a number from 0 to 2147483647 or a time "
                             "such as 1h30m");
    } else if (auto c = rrclass ? std::nullopt : rrclass_from_text(field)) {
      if (*c != RRClass::IN)
        return at(where, "class " + rrclass_to_text(*c) + " is not supported, only IN");
      rrclass = c;
    } else {
      return Ok{};
    }
  }
  return Ok{};
}

Status Reader::record(const MasterEntry& e, const std::string& where) {
  auto origin = current_origin();
  if (!origin) return at(where, origin.error());
  std::size_t i = 0;
  Record r;
  if (e.owner_omitted) {
    if (!last_owner_) return at(where, "no owner: the first record starts with blank space");
    r.owner = *last_owner_;
  } else {
    auto owner = Name::from_text(e.fields[i++], *origin);
    if (!owner) return at(where, "owner: " + owner.error());
    r.owner = *owner;
  }
  std::optional<std::uint32_t> ttl;
  if (auto ok = ttl_and_class(e, where, i, ttl); !ok) return ok;
  if (i == e.fields.size()) return at(where, "missing record type");
  auto type = rrtype_from_text(e.fields[i]);
  if (!type) return at(where, "unknown record type " + quoted_excerpt(e.fields[i]));
  if (is_meta_type(*type))
    return at(where, "type " + rrtype_to_text(*type) + " cannot be used in zone data");
  r.type = *type;
  auto rdata = rdata_from_text(r.type, std::span(e.fields).subspan(i + 1), *origin);
  if (!rdata) return at(where, rdata.error());
  r.rdata = std::move(*rdata);
  last_owner_ = r.owner;
  return add_record(std::move(r), ttl, where);
}

// Default TTL (RFC 2308 §4, RFC 1035 §5.1): $TTL, else the last explicit TTL, else (as BIND
// does) the SOA MINIMUM of the first apex SOA, wherever it is in the file: records from the
// first one that needs it are held until it is read. The limits bound the memory a zone can
// take.
Status Reader::add_record(Record record, std::optional<std::uint32_t> ttl,
                          const std::string& where) {
  if (records_ >= or_unlimited(options_.limits.max_records))
    return at(where,
              "more than " + std::to_string(options_.limits.max_records) + " records in the zone");
  std::uint32_t& rrset = rrset_sizes_[rrset_hash(record.owner, record.type)];
  if (++rrset > or_unlimited(options_.limits.max_rrset_records))
    return at(where, "more than " + std::to_string(options_.limits.max_rrset_records) +
                         " records in the RRset " + record.owner.to_text() + " " +
                         rrtype_to_text(record.type));
  ++records_;
  note_soa_minimum(record);
  if (ttl) last_ttl_ = ttl;
  std::optional<std::uint32_t> applied = ttl ? ttl : dollar_ttl_ ? dollar_ttl_ : last_ttl_;
  if (!applied && soa_minimum_) applied = std::min(*soa_minimum_, kMaxTtl);
  if (applied) record.ttl = *applied;
  if (!applied || !held_.empty()) {
    held_.push_back(Held{std::move(record), !applied, where});
    return release_held();
  }
  return sink_(std::move(record));
}

void Reader::note_soa_minimum(const Record& r) {
  if (soa_minimum_ || r.type != RRType::SOA || !(r.owner == *apex_) || r.rdata.size() < 4) return;
  const auto* m = r.rdata.data() + r.rdata.size() - 4;
  soa_minimum_ = (std::uint32_t{m[0]} << 24) | (m[1] << 16) | (m[2] << 8) | m[3];
}

// Passes on the held records once the SOA MINIMUM is known.
Status Reader::release_held() {
  if (!soa_minimum_) return Ok{};
  for (Held& h : held_) {
    if (h.pending_ttl) h.record.ttl = std::min(*soa_minimum_, kMaxTtl);
    if (auto ok = sink_(std::move(h.record)); !ok) return ok;
  }
  held_.clear();
  return Ok{};
}

Result<Name> Reader::finish(const std::string& source) {
  auto origin = current_origin();
  if (!origin) return at(source, origin.error());
  if (!held_.empty())
    return at(held_.front().where, "no TTL: give one, or a $TTL, or an SOA record");
  return *apex_;
}

// Collects the records of a file in order.
struct Collector {
  std::vector<Record> records;
  RecordSink sink() {
    return [this](Record r) {
      records.push_back(std::move(r));
      return Status(Ok{});
    };
  }
};

}  // namespace

Result<Name> read_master_records(const std::filesystem::path& path, std::optional<Name> origin,
                                 const MasterFileOptions& options, const RecordSink& each) {
  Reader reader(std::move(origin), path, options, each);
  auto file = reader.open(path);
  if (!file) return Error{path.string() + ": cannot read: " + file.error()};
  std::error_code ec;
  reader.enter_file(fs::weakly_canonical(path, ec));
  MasterLexer lexer(**file, reader.lexer_options());
  if (auto ok = reader.read_lexer(lexer, path.string(), path.parent_path(), 0); !ok)
    return Error{ok.error()};
  return reader.finish(path.string());
}

Result<MasterFile> read_master_file(const std::filesystem::path& path, std::optional<Name> origin,
                                    const MasterFileOptions& options) {
  Collector collector;
  auto apex = read_master_records(path, std::move(origin), options, collector.sink());
  if (!apex) return Error{apex.error()};
  return MasterFile{std::move(apex).value(), std::move(collector.records)};
}

Result<MasterFile> read_master_text(std::string_view text, const Name& origin,
                                    std::string_view source, const MasterFileOptions& options) {
  Collector collector;
  const RecordSink sink = collector.sink();
  Reader reader(origin, std::nullopt, options, sink);
  if (auto ok = reader.read_text(text, std::string(source), fs::path(), 0); !ok)
    return Error{ok.error()};
  auto apex = reader.finish(std::string(source));
  if (!apex) return Error{apex.error()};
  return MasterFile{std::move(apex).value(), std::move(collector.records)};
}

}  // namespace apex
