// apexctl's settings from the [zone_defaults], [serial], [import], [journal] and [control]
// sections of a TOML file (toml++).
#include "admin/admin_config.hpp"

#include <toml++/toml.h>

#include <limits>
#include <string>
#include <system_error>

#include "zones/record.hpp"

namespace apex::admin {
namespace {

constexpr std::int64_t kMaxU32 = std::numeric_limits<std::uint32_t>::max();

Status read_u32(const toml::node& node, std::int64_t max, std::uint32_t& out) {
  auto value = node.value<std::int64_t>();
  if (!node.is_integer() || !value || *value < 0 || *value > max) {
    return Error{"must be an integer from 0 to " + std::to_string(max)};
  }
  out = static_cast<std::uint32_t>(*value);
  return Ok{};
}

// A bound of the IXFR journal: an integer from 0 (keep no journal) up.
Status read_journal_bound(const toml::node& node, std::size_t& out) {
  auto value = node.value<std::int64_t>();
  if (!node.is_integer() || !value || *value < 0)
    return Error{"must be an integer from 0 (keep no journal) up"};
  out = static_cast<std::size_t>(*value);
  return Ok{};
}

// A limit: a count of octets or records, 0 for none.
Status read_limit(const toml::node& node, std::size_t& out) {
  auto value = node.value<std::int64_t>();
  if (!node.is_integer() || !value || *value < 0) {
    return Error{"must be an integer from 0 (no limit) up"};
  }
  out = static_cast<std::size_t>(*value);
  return Ok{};
}

Status read_string(const toml::node& node, std::string& out) {
  auto value = node.value<std::string>();
  if (!node.is_string() || !value || value->empty()) return Error{"must be a non-empty string"};
  out = *value;
  return Ok{};
}

Status read_names(const toml::node& node, std::vector<std::string>& out) {
  const toml::array* list = node.as_array();
  if (list == nullptr || list->empty()) return Error{"must be a non-empty array of names"};
  out.clear();
  for (const auto& item : *list) {
    auto value = item.value<std::string>();
    if (!item.is_string() || !value) return Error{"must be a non-empty array of names"};
    out.push_back(*value);
  }
  return Ok{};
}

Status apply_zone_default(std::string_view key, const toml::node& node, AdminConfig& config) {
  ZoneTemplate& t = config.zone_template;
  if (key == "mname") return read_string(node, t.mname);
  if (key == "rname") return read_string(node, t.rname);
  if (key == "refresh") return read_u32(node, kMaxU32, t.refresh);
  if (key == "retry") return read_u32(node, kMaxU32, t.retry);
  if (key == "expire") return read_u32(node, kMaxU32, t.expire);
  if (key == "minimum") return read_u32(node, kMaxU32, t.minimum);
  if (key == "ttl") return read_u32(node, kMaxTtl, t.ttl);  // RFC 2181 §8
  if (key == "record_ttl") return read_u32(node, kMaxTtl, config.record_ttl);
  if (key == "ns") return read_names(node, t.ns);
  return Error{"unknown setting"};
}

Status apply_serial(std::string_view key, const toml::node& node, AdminConfig& config) {
  if (key != "policy") return Error{"unknown setting"};
  auto policy = serial_policy_from_text(node.value<std::string>().value_or(""));
  if (!node.is_string() || !policy) return Error{"must be \"increment\" or \"date\""};
  config.serial = *policy;
  return Ok{};
}

// Bounds on a master file that "zone import" reads; see MasterFileLimits.
Status apply_import(std::string_view key, const toml::node& node, AdminConfig& config) {
  MasterFileLimits& limits = config.import_limits;
  if (key == "max_zone_size") return read_limit(node, limits.max_zone_octets);
  if (key == "max_line_length") return read_limit(node, limits.max_line_octets);
  if (key == "max_records") return read_limit(node, limits.max_records);
  if (key == "max_rrset_records") return read_limit(node, limits.max_rrset_records);
  return Error{"unknown setting"};
}

// The IXFR journal each change appends to; apexd reads the same section for its own changes.
Status apply_journal(std::string_view key, const toml::node& node, AdminConfig& config) {
  if (key == "max_depth") return read_journal_bound(node, config.journal.max_depth);
  if (key == "max_bytes") return read_journal_bound(node, config.journal.max_bytes);
  return Error{"unknown setting"};
}

// Where apexd's control socket is; apexd reads the same key.
Status apply_control(std::string_view key, const toml::node& node, AdminConfig& config) {
  if (key != "socket") return Error{"unknown setting"};
  auto v = node.value<std::string>();
  if (!v || v->empty()) return Error{"must be a path"};
  config.control_socket = *v;
  return Ok{};
}

// apexd's section: apexctl takes the keys that decide what an alias serves, and leaves the
// others (timers, resolvers) to apexd, which checks them.
Status apply_flatten(std::string_view key, const toml::node& node, AdminConfig& config) {
  if (key == "stale_ttl_s") {
    auto v = node.value<std::int64_t>();
    if (!node.is_integer() || !v || *v < 1 || *v > 86400)
      return Error{"must be an integer from 1 to 86400"};
    config.flatten.stale_ttl = std::chrono::seconds(*v);
  } else if (key == "health_fail_open") {
    auto v = node.value<bool>();
    if (!node.is_boolean() || !v) return Error{"must be true or false"};
    config.flatten.health_fail_open = *v;
  }
  return Ok{};
}

// apexd's section: apexctl only reports these, apexd checks them.
Status apply_dnssec(std::string_view key, const toml::node& node, AdminConfig& config) {
  std::uint32_t* target = key == "signature_validity_s" ? &config.signature_validity_s
                          : key == "refresh_s"          ? &config.signature_refresh_s
                                                        : nullptr;
  if (target == nullptr) return Ok{};
  auto v = node.value<std::int64_t>();
  if (!node.is_integer() || !v || *v < 1 || *v > 366 * 86400)
    return Error{"must be an integer from 1 to 31622400"};
  *target = static_cast<std::uint32_t>(*v);
  return Ok{};
}

using SectionReader = Status (*)(std::string_view, const toml::node&, AdminConfig&);

Status apply_section(const toml::node& node, std::string_view section, SectionReader read,
                     AdminConfig& config) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return Error{"[" + std::string(section) + "] must be a table"};
  for (const auto& [key, value] : *table) {
    if (auto ok = read(key.str(), value, config); !ok) {
      return Error{"[" + std::string(section) + "] " + std::string(key.str()) + ": " + ok.error()};
    }
  }
  return Ok{};
}

// The template must give a valid SOA and NS for some zone; checked here so that a broken
// configuration is reported at once, not at the first "zone add".
Status check_template(const AdminConfig& config) {
  auto records =
      zone_template_records(config.zone_template, Name::from_text("example.").value(), 1);
  if (!records) return Error{"[zone_defaults] " + records.error()};
  return Ok{};
}

}  // namespace

Result<AdminConfig> load_admin_config(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error{path.string() + ": no such configuration file"};
  }
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return Error{path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                 std::string(e.description())};
  }
  AdminConfig config;
  Status status = Ok{};
  if (const toml::node* node = root.get("zone_defaults")) {
    status = apply_section(*node, "zone_defaults", apply_zone_default, config);
  }
  if (const toml::node* node = root.get("serial"); status && node) {
    status = apply_section(*node, "serial", apply_serial, config);
  }
  if (const toml::node* node = root.get("import"); status && node) {
    status = apply_section(*node, "import", apply_import, config);
  }
  if (const toml::node* node = root.get("journal"); status && node) {
    status = apply_section(*node, "journal", apply_journal, config);
  }
  if (const toml::node* node = root.get("control"); status && node) {
    status = apply_section(*node, "control", apply_control, config);
  }
  if (const toml::node* node = root.get("flatten"); status && node) {
    status = apply_section(*node, "flatten", apply_flatten, config);
  }
  if (const toml::node* node = root.get("dnssec"); status && node) {
    status = apply_section(*node, "dnssec", apply_dnssec, config);
  }
  if (status) status = check_template(config);
  if (!status) return Error{path.string() + ": " + status.error()};
  return config;
}

}  // namespace apex::admin
