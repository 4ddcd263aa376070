// The control commands' work on the control thread (see server_control.hpp).
#include "server/server_control.hpp"

#include <map>

#include <boost/asio/ip/address.hpp>

#include "flatten/endpoint_text.hpp"
#include "server/log.hpp"

namespace apex::server {
namespace {

std::string address_text(const flatten::Address& octets) {
  namespace ip = boost::asio::ip;
  if (octets.size() == 4) {
    ip::address_v4::bytes_type b;
    std::copy(octets.begin(), octets.end(), b.begin());
    return ip::address_v4(b).to_string();
  }
  if (octets.size() == 16) {
    ip::address_v6::bytes_type b;
    std::copy(octets.begin(), octets.end(), b.begin());
    return ip::address_v6(b).to_string();
  }
  return "?";
}

std::string family_json(const flatten::TargetState::Family& f) {
  std::vector<std::string> addresses;
  for (const auto& a : f.addresses) addresses.push_back(address_text(a));
  return JsonObject()
      .add("state", alias_state_to_text(f.state))
      .add_raw("addresses", json_string_array(addresses))
      .add("ttl", f.ttl)
      .add("last_error", f.last_error)
      .str();
}

std::string serial_json(const std::optional<std::uint32_t>& serial) {
  return serial ? std::to_string(*serial) : "null";
}

const storage::SecondaryState* state_of(const std::vector<storage::SecondaryState>& states,
                                        const storage::Secondary& secondary) {
  for (const auto& s : states)
    if (s.address == secondary.address && s.port == secondary.port) return &s;
  return nullptr;
}

}  // namespace

ServerControl::ServerControl(const Config& config, const SnapshotStore& store,
                             ZoneFollower& follower, AliasService& aliases, Reload reload,
                             StatsJson stats)
    : config_(config),
      store_(store),
      follower_(follower),
      aliases_(aliases),
      reload_(std::move(reload)),
      stats_(std::move(stats)) {}

Result<storage::Database*> ServerControl::database() {
  if (!db_) {
    auto db = storage::Database::open(config_.database, storage::OpenMode::kReadOnly);
    if (!db) return Error{db.error()};
    db_ = std::move(*db);
  }
  return db_.get();
}

JsonObject ServerControl::status() {
  std::vector<std::string> listen;
  for (const auto& ep : config_.listen) listen.push_back(flatten::endpoint_text(ep));
  JsonObject out;
  out.add("database", config_.database.string())
      .add_raw("listen", json_string_array(listen))
      .add("zones", store_.current()->zone_count());
  auto behind = serials_behind();
  if (behind)
    out.add_raw("serials_behind", *behind);
  else
    out.add_raw("serials_behind", "null").add("serials_behind_error", behind.error());
  return out;
}

Result<std::string> ServerControl::serials_behind() {
  auto db = database();
  if (!db) return Error{db.error()};
  auto settings = (*db)->load_transfer_settings();
  if (!settings) return Error{settings.error()};
  struct Behind {
    std::size_t count = 0;
    std::vector<std::string> examples;
  };
  if (settings->secondaries.empty()) return std::string("[]");  // no zone walk at all
  std::vector<Behind> behind(settings->secondaries.size());
  std::string error;
  store_.current()->for_each_zone([&](const Zone& zone) {
    if (!error.empty()) return;
    std::optional<std::vector<storage::SecondaryState>> states;
    for (std::size_t i = 0; i < settings->secondaries.size(); ++i) {
      const auto& secondary = settings->secondaries[i];
      if (!secondary.gets_zone(zone.apex())) continue;
      if (!states) {
        auto read = (*db)->secondary_states(zone.apex());
        if (!read) {
          error = read.error();
          return;
        }
        states = std::move(*read);
      }
      const storage::SecondaryState* state = state_of(*states, secondary);
      if (state && state->transfer_serial == zone.serial()) continue;
      if (++behind[i].count <= kBehindExamples) behind[i].examples.push_back(zone.apex().to_text());
    }
  });
  if (!error.empty()) return Error{error};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < behind.size(); ++i)
    out.push_back(JsonObject()
                      .add("secondary", settings->secondaries[i].endpoint())
                      .add("zones", behind[i].count)
                      .add_raw("examples", json_string_array(behind[i].examples))
                      .str());
  return json_array(out);
}

Result<JsonObject> ServerControl::perform(const ControlRequest& request) {
  switch (request.command) {
    case ControlCommand::kStatus:
      return status();
    case ControlCommand::kStats:
      if (request.name) return zone_stats(*request.name);
      return JsonObject().add_raw("stats", stats_());
    case ControlCommand::kReload:
      return reload();
    case ControlCommand::kZoneReload:
      return zone_reload(*request.name);
    case ControlCommand::kAliasRefresh:
      return alias_refresh(*request.name);
  }
  return Error{"unknown command"};
}

Result<JsonObject> ServerControl::zone_stats(const Name& apex) {
  const ZoneIndexPtr zones = store_.current();
  const Zone* zone = zones->find_exact(apex.lowercased().wire_view());
  if (!zone) return Error{"zone " + apex.to_text() + " is not served"};
  std::map<Name, flatten::TargetState, CanonicalLess> targets;
  for (auto& state : aliases_.target_states()) targets.emplace(state.target, std::move(state));
  std::vector<std::string> aliases;
  for (const auto& spec : aliases_.aliases_of(zone->apex())) {
    JsonObject alias;
    alias.add("owner", spec.owner.to_text()).add("target", spec.target.to_text());
    auto it = targets.find(spec.target);
    if (it == targets.end())
      alias.add_raw("a", "null").add_raw("aaaa", "null");
    else
      alias.add_raw("a", family_json(it->second.a)).add_raw("aaaa", family_json(it->second.aaaa));
    aliases.push_back(alias.str());
  }
  JsonObject out;
  out.add("zone", zone->apex().to_text())
      .add("serial", zone->serial())
      .add("records", zone->record_count())
      .add_raw("aliases", json_array(aliases));
  auto db = database();
  auto settings =
      db ? (*db)->load_transfer_settings() : Result<storage::TransferSettings>(Error{db.error()});
  auto states = db ? (*db)->secondary_states(zone->apex())
                   : Result<std::vector<storage::SecondaryState>>(Error{db.error()});
  if (!settings || !states) {
    out.add_raw("secondaries", "null")
        .add("secondaries_error", settings ? states.error() : settings.error());
    return out;
  }
  std::vector<std::string> secondaries;
  const storage::SecondaryState nothing_recorded;
  for (const auto& secondary : settings->secondaries) {
    if (!secondary.gets_zone(zone->apex())) continue;
    const storage::SecondaryState* recorded = state_of(*states, secondary);
    const storage::SecondaryState& state = recorded ? *recorded : nothing_recorded;
    secondaries.push_back(JsonObject()
                              .add("secondary", secondary.endpoint())
                              .add_raw("notify_serial", serial_json(state.notify_serial))
                              .add_raw("transfer_serial", serial_json(state.transfer_serial))
                              .add("behind", state.transfer_serial != zone->serial())
                              .str());
  }
  out.add_raw("secondaries", json_array(secondaries));
  return out;
}

Result<JsonObject> ServerControl::reload() {
  auto waiting = reload_();
  if (!waiting) return Error{waiting.error()};
  return JsonObject().add_raw("restart_needed", json_string_array(*waiting));
}

Result<JsonObject> ServerControl::zone_reload(const Name& apex) {
  auto serial = follower_.reload_zone(apex);
  if (!serial) return Error{serial.error()};
  return JsonObject().add("zone", apex.to_text()).add("serial", *serial);
}

Result<JsonObject> ServerControl::alias_refresh(const Name& owner) {
  auto target = aliases_.refresh(owner);
  if (!target) return Error{target.error()};
  return JsonObject().add("alias", owner.to_text()).add("target", target->to_text());
}

}  // namespace apex::server
