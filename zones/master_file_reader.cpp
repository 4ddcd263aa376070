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

// Octets after the last line end of chunk, added to the run of the line it continues.
std::size_t line_run_after(std::string_view chunk, std::size_t run) {
  const std::size_t last = chunk.rfind('\n');
  return last == std::string_view::npos ? run + chunk.size() : chunk.size() - last - 1;
}

// Reads a regular file of at most budget octets. A device or FIFO (/dev/zero, a pipe) is
// refused before any read: it never ends. The type is checked on the opened descriptor, so
// that the file cannot be swapped between check and read; O_NONBLOCK keeps the open of a FIFO
// from waiting for a writer. Reading stops after the first line longer than max_line: the
// text read so far ends inside that line, and the lexer reports it with its line number.
Result<std::string> read_file(const fs::path& path, std::size_t budget, std::size_t max_line) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) return Error{std::strerror(errno)};
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return Error{std::strerror(errno)};
  if (S_ISDIR(status.st_mode)) return Error{"is a directory"};
  if (!S_ISREG(status.st_mode))
    return Error{"not a regular file (a device, FIFO or socket is never read)"};
  const std::string too_large = "larger than " + std::to_string(budget) +
                                " octets, the limit for a zone with its included files";
  if (static_cast<std::uintmax_t>(status.st_size) > budget) return Error{too_large};
  std::string text;
  // One allocation for the whole file (pages are only resident once read into).
  text.reserve(static_cast<std::size_t>(status.st_size) + kReadChunk);
  std::size_t run = 0;  // octets of the current line so far
  for (;;) {
    const std::size_t used = text.size();
    text.resize(used + kReadChunk);
    const ssize_t n = ::read(fd.get(), text.data() + used, kReadChunk);
    if (n < 0 && errno == EINTR) {
      text.resize(used);
      continue;
    }
    if (n < 0) return Error{std::strerror(errno)};
    text.resize(used + static_cast<std::size_t>(n));
    if (n == 0) break;
    if (text.size() > budget) return Error{too_large};  // it grew while being read
    run = line_run_after(std::string_view(text).substr(used), run);
    if (run > max_line) break;
  }
  return text;
}

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

struct RRsetKey {
  Name owner;
  RRType type;
  friend bool operator==(const RRsetKey&, const RRsetKey&) = default;
};

struct RRsetKeyHash {
  std::size_t operator()(const RRsetKey& k) const {
    return k.owner.hash() * 31 + static_cast<std::size_t>(k.type);
  }
};

class Reader {
 public:
  Reader(std::optional<Name> apex, std::optional<fs::path> top_file,
         const MasterFileOptions& options)
      : apex_(std::move(apex)), top_file_(std::move(top_file)), options_(options) {
    origin_ = apex_;
  }

  Result<std::string> read(const fs::path& path);
  Status read_text(std::string_view text, const std::string& source, const fs::path& dir,
                   int depth);
  Result<MasterFile> finish(const std::string& source);
  void enter_file(const fs::path& canonical) { include_stack_.push_back(canonical); }

 private:
  struct PendingTtl {
    std::size_t record;
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

  std::optional<Name> apex_;
  std::optional<fs::path> top_file_;
  const MasterFileOptions& options_;
  std::size_t octets_read_ = 0;  // of every file read so far
  std::optional<Name> origin_;   // the current $ORIGIN; unset until known
  std::optional<Name> last_owner_;
  std::optional<std::uint32_t> dollar_ttl_;
  std::optional<std::uint32_t> last_ttl_;
  std::vector<Record> records_;
  std::vector<PendingTtl> pending_;
  std::vector<fs::path> include_stack_;
  std::unordered_map<RRsetKey, std::size_t, RRsetKeyHash> rrset_sizes_;
};

// A file's text, counted against the limit for the zone.
Result<std::string> Reader::read(const fs::path& path) {
  const std::size_t budget = or_unlimited(options_.limits.max_zone_octets) - octets_read_;
  auto text = read_file(path, budget, or_unlimited(options_.limits.max_line_octets));
  if (text) octets_read_ += text->size();
  return text;
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
  MasterLexer::Options lexer_options;
  lexer_options.max_line_octets = options_.limits.max_line_octets;
  MasterLexer lexer(text, lexer_options);
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
  for (const auto& open : include_stack_)
    if (open == *canonical) return at(where, "$INCLUDE loop: " + shown(path) + " is already open");
  // The canonical path is read: the one that was checked to be below the root.
  auto text = read(*canonical);
  if (!text) return at(where, "$INCLUDE cannot read " + shown(path) + ": " + text.error());
  auto saved_origin = origin_;
  origin_ = *origin;
  include_stack_.push_back(*canonical);
  auto ok = read_text(*text, shown(path), path.parent_path(), depth + 1);
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
// does) the SOA MINIMUM, settled in finish(). The limits bound the memory a zone can take.
Status Reader::add_record(Record record, std::optional<std::uint32_t> ttl,
                          const std::string& where) {
  if (records_.size() >= or_unlimited(options_.limits.max_records))
    return at(where,
              "more than " + std::to_string(options_.limits.max_records) + " records in the zone");
  std::size_t& rrset = rrset_sizes_[RRsetKey{record.owner, record.type}];
  if (++rrset > or_unlimited(options_.limits.max_rrset_records))
    return at(where, "more than " + std::to_string(options_.limits.max_rrset_records) +
                         " records in the RRset " + record.owner.to_text() + " " +
                         rrtype_to_text(record.type));
  if (ttl) last_ttl_ = ttl;
  std::optional<std::uint32_t> applied = ttl ? ttl : dollar_ttl_ ? dollar_ttl_ : last_ttl_;
  if (applied)
    record.ttl = *applied;
  else
    pending_.push_back({records_.size(), where});
  records_.push_back(std::move(record));
  return Ok{};
}

Result<MasterFile> Reader::finish(const std::string& source) {
  auto origin = current_origin();
  if (!origin) return at(source, origin.error());
  if (!pending_.empty()) {
    const Record* soa = nullptr;
    for (const auto& r : records_)
      if (r.type == RRType::SOA && r.owner == *apex_ && r.rdata.size() >= 4) {
        soa = &r;
        break;
      }
    if (!soa) return at(pending_.front().where, "no TTL: give one, or a $TTL, or an SOA record");
    const auto* m = soa->rdata.data() + soa->rdata.size() - 4;
    std::uint32_t minimum = (std::uint32_t{m[0]} << 24) | (m[1] << 16) | (m[2] << 8) | m[3];
    for (const auto& p : pending_) records_[p.record].ttl = std::min(minimum, kMaxTtl);
  }
  return MasterFile{*apex_, std::move(records_)};
}

}  // namespace

Result<MasterFile> read_master_file(const std::filesystem::path& path, std::optional<Name> origin,
                                    const MasterFileOptions& options) {
  Reader reader(std::move(origin), path, options);
  auto text = reader.read(path);
  if (!text) return Error{path.string() + ": cannot read: " + text.error()};
  std::error_code ec;
  reader.enter_file(fs::weakly_canonical(path, ec));
  if (auto ok = reader.read_text(*text, path.string(), path.parent_path(), 0); !ok)
    return Error{ok.error()};
  return reader.finish(path.string());
}

Result<MasterFile> read_master_text(std::string_view text, const Name& origin,
                                    std::string_view source, const MasterFileOptions& options) {
  Reader reader(origin, std::nullopt, options);
  if (auto ok = reader.read_text(text, std::string(source), fs::path(), 0); !ok)
    return Error{ok.error()};
  return reader.finish(std::string(source));
}

}  // namespace apex
