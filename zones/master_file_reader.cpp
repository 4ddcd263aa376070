// RFC 1035 §5.1 master-file reader: directives ($ORIGIN, $INCLUDE, RFC 2308 §4 $TTL), owner,
// TTL and class defaults, and RDATA via rdata_from_text.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "zones/character_string.hpp"
#include "zones/master_file.hpp"
#include "zones/master_file_lexer.hpp"
#include "zones/number_text.hpp"
#include "zones/rdata.hpp"

namespace apex {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 16;

Error at(const std::string& where, const std::string& message) {
  return Error{where + ": " + message};
}

Result<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Error{"is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{"read error"};
  return text.str();
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

class Reader {
 public:
  Reader(std::optional<Name> apex, std::optional<fs::path> top_file)
      : apex_(std::move(apex)), top_file_(std::move(top_file)) {
    origin_ = apex_;
  }

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
  Status record(const MasterEntry& e, const std::string& where);
  Status ttl_and_class(const MasterEntry& e, const std::string& where, std::size_t& i,
                       std::optional<std::uint32_t>& ttl);
  void add_record(Record record, std::optional<std::uint32_t> ttl, const std::string& where);

  std::optional<Name> apex_;
  std::optional<fs::path> top_file_;
  std::optional<Name> origin_;  // the current $ORIGIN; unset until known
  std::optional<Name> last_owner_;
  std::optional<std::uint32_t> dollar_ttl_;
  std::optional<std::uint32_t> last_ttl_;
  std::vector<Record> records_;
  std::vector<PendingTtl> pending_;
  std::vector<fs::path> include_stack_;
};

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
  MasterLexer lexer(text);
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
  if (first.starts_with('$')) return at(where, "unsupported directive " + first);
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
    return at(where, "$TTL: '" + e.fields[1] + "' is not a TTL from 0 to 2147483647 seconds");
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
  if (!file) return at(where, "$INCLUDE file name '" + e.fields[1] + "' " + file.error());
  fs::path path = fs::path(*file).is_absolute() ? fs::path(*file) : dir / *file;
  auto origin = current_origin();
  if (!origin) return at(where, origin.error());
  if (e.fields.size() == 3) origin = Name::from_text(e.fields[2], *origin);
  if (!origin) return at(where, "$INCLUDE origin: " + origin.error());
  if (depth + 1 > kMaxIncludeDepth)
    return at(where, "$INCLUDE nested more than " + std::to_string(kMaxIncludeDepth) + " deep");
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  for (const auto& open : include_stack_)
    if (open == canonical) return at(where, "$INCLUDE loop: " + path.string() + " is already open");
  auto text = read_file(path);
  if (!text) return at(where, "$INCLUDE cannot read " + path.string() + ": " + text.error());
  auto saved_origin = origin_;
  origin_ = *origin;
  include_stack_.push_back(canonical);
  auto ok = read_text(*text, path.string(), path.parent_path(), depth + 1);
  include_stack_.pop_back();
  origin_ = saved_origin;
  return ok;
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
        return at(where, "TTL '" + field +
                             "' is not a number from 0 to 2147483647 or a time "
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
  if (!type) return at(where, "unknown record type '" + e.fields[i] + "'");
  if (is_meta_type(*type))
    return at(where, "type " + rrtype_to_text(*type) + " cannot be used in zone data");
  r.type = *type;
  auto rdata = rdata_from_text(r.type, std::span(e.fields).subspan(i + 1), *origin);
  if (!rdata) return at(where, rdata.error());
  r.rdata = std::move(*rdata);
  last_owner_ = r.owner;
  add_record(std::move(r), ttl, where);
  return Ok{};
}

// Default TTL (RFC 2308 §4, RFC 1035 §5.1): $TTL, else the last explicit TTL, else (as BIND
// does) the SOA MINIMUM, settled in finish().
void Reader::add_record(Record record, std::optional<std::uint32_t> ttl, const std::string& where) {
  if (ttl) last_ttl_ = ttl;
  std::optional<std::uint32_t> applied = ttl ? ttl : dollar_ttl_ ? dollar_ttl_ : last_ttl_;
  if (applied)
    record.ttl = *applied;
  else
    pending_.push_back({records_.size(), where});
  records_.push_back(std::move(record));
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

Result<MasterFile> read_master_file(const std::filesystem::path& path, std::optional<Name> origin) {
  auto text = read_file(path);
  if (!text) return Error{path.string() + ": cannot read: " + text.error()};
  Reader reader(std::move(origin), path);
  std::error_code ec;
  reader.enter_file(fs::weakly_canonical(path, ec));
  if (auto ok = reader.read_text(*text, path.string(), path.parent_path(), 0); !ok)
    return Error{ok.error()};
  return reader.finish(path.string());
}

Result<MasterFile> read_master_text(std::string_view text, const Name& origin,
                                    std::string_view source) {
  Reader reader(origin, std::nullopt);
  if (auto ok = reader.read_text(text, std::string(source), fs::path(), 0); !ok)
    return Error{ok.error()};
  return reader.finish(std::string(source));
}

}  // namespace apex
