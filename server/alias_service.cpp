// Wiring of the flattener into apexd: configuration mapping, alias collection from zone
// snapshots and stored settings, and hand-over on startup and on live apply.
#include "server/alias_service.hpp"

#include <algorithm>
#include <chrono>
#include <future>

#include "flatten/alias_spec_builder.hpp"
#include "flatten/endpoint_text.hpp"
#include "server/alias_status_log.hpp"
#include "server/log.hpp"
#include "server/resolv_conf.hpp"
#include "zones/flattened_alias.hpp"

namespace apex::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// How long startup waits for the persisted results to be published before serving anyway.
constexpr seconds kFirstPublicationWait{10};

flatten::UpstreamOptions upstream_from(const FlattenSettings& s) {
  flatten::UpstreamOptions o;
  o.resolvers = s.resolvers.empty() ? resolv_conf_nameservers() : s.resolvers;
  o.try_timeout = milliseconds(s.try_timeout_ms);
  o.tries = s.tries;
  o.max_in_flight = s.max_in_flight;
  o.max_queries_per_second = s.max_queries_per_second;
  return o;
}

using SettingsByOwner = std::map<Name, storage::AliasSettings, CanonicalLess>;

Result<SettingsByOwner> settings_by_owner(storage::Database& db, const std::optional<Name>& zone) {
  auto all = db.alias_settings(zone);
  if (!all) return Error{all.error()};
  SettingsByOwner out;
  for (auto& s : *all) out.emplace(s.owner, std::move(s));
  return out;
}

}  // namespace

AliasService::AliasService(const Config& config, SnapshotStore& store)
    : config_(config), store_(store), work_(boost::asio::make_work_guard(io_)) {
  auto options = upstream_from(config.flatten);
  if (options.resolvers.empty())
    log_warning(
        "flatten: no upstream resolvers (none configured, none in /etc/resolv.conf); "
        "only ALIAS targets inside served zones resolve");
  for (const auto& r : options.resolvers)
    log_info("flatten: upstream resolver " + flatten::endpoint_text(r));
  upstream_ = std::make_unique<flatten::UpstreamClient>(io_, std::move(options));
}

AliasService::~AliasService() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
  flattener_.reset();  // writes what is not yet persisted
}

Status AliasService::start(const ZoneIndexPtr& zones, storage::Database& db) {
  auto connection = storage::Database::open(config_.database, storage::OpenMode::kExisting);
  if (!connection) return Error{connection.error()};
  state_ = std::make_unique<flatten::SqliteStateStore>(std::move(*connection),
                                                       config_.flatten.policy.stale_ttl);
  logged_state_ = std::make_unique<LoggedStateStore>(*state_, log_state_save_failure(),
                                                     log_state_save_recovery());
  auto first = std::make_shared<std::promise<void>>();
  auto published = first->get_future();
  auto once = std::make_shared<std::atomic<bool>>(false);
  flattener_ =
      std::make_unique<flatten::Flattener>(io_, *upstream_, config_.flatten.policy, *logged_state_,
                                           [this, first, once](AliasTablePtr table) {
                                             store_.publish_aliases(std::move(table));
                                             if (!once->exchange(true)) first->set_value();
                                           });
  flattener_->on_status_changes(log_status_changes);
  auto settings = settings_by_owner(db, std::nullopt);
  if (!settings) return Error{settings.error()};
  auto providers = db.provider_zones();
  if (!providers) return Error{providers.error()};
  providers_ = std::make_shared<const flatten::ProviderZones>(*providers);
  if (providers_->size() > 0)
    log_info("flatten: " + std::to_string(providers_->size()) +
             " provider zone(s) resolve ALIAS targets locally");
  zones->for_each_zone([&](const Zone& zone) {
    auto specs = flatten::alias_specs(zone, [&](const Name& owner) {
      auto it = settings->find(owner);
      return it == settings->end() ? nullptr : &it->second;
    });
    if (specs.empty()) return;
    index_targets(zone.apex(), specs, true);
    by_zone_[zone.apex()] = std::move(specs);
  });
  flattener_->set_local_zones(zones, providers_, {});
  std::vector<flatten::ZoneAliases> all;
  all.reserve(by_zone_.size());
  for (const auto& [apex, specs] : by_zone_) all.push_back({apex, specs});
  flattener_->set_zone_aliases(std::move(all));  // even none: persisted states are settled
  flattener_->start();
  thread_ = std::thread([this] { io_.run(); });
  if (published.wait_for(kFirstPublicationWait) != std::future_status::ready)
    log_warning("flatten: persisted ALIAS results not published yet; serving anyway");
  return Ok{};
}

void AliasService::replace_state_database(std::unique_ptr<storage::Database> db) {
  if (state_) state_->replace_database(std::move(db));
}

void AliasService::zones_changed(const ZoneIndexPtr& zones, const std::vector<Name>& changed,
                                 storage::Database& db) {
  update_providers(changed, db);
  // Only the changed zones' aliases go to the flattener: the cost of a change follows the
  // change, not the number of aliases served (ARCHITECTURE.md §3.6).
  std::vector<flatten::ZoneAliases> handed;
  for (const auto& apex : changed) {
    zones_changed_since_.insert(apex);
    auto before = by_zone_.find(apex);
    const bool had = before != by_zone_.end();
    if (had) {
      index_targets(apex, before->second, false);
      by_zone_.erase(before);
    }
    auto key = apex.lowercased();
    const Zone* zone = zones->find_exact(key.wire_view());
    std::vector<flatten::AliasSpec> specs;
    if (zone) {
      // Settings that cannot be read leave the zone without aliases until its next change.
      auto settings = settings_by_owner(db, apex);
      if (settings)
        specs = flatten::alias_specs(*zone, [&](const Name& owner) {
          auto it = settings->find(owner);
          return it == settings->end() ? nullptr : &it->second;
        });
      else
        log_error("flatten: alias settings of " + apex.to_text() + ": " + settings.error());
    }
    if (!specs.empty()) {
      index_targets(apex, specs, true);
      by_zone_[apex] = specs;
    }
    if (had || !specs.empty()) handed.push_back({apex, std::move(specs)});
  }
  flattener_->set_local_zones(zones, providers_, changed);
  if (!handed.empty()) flattener_->set_zone_aliases(std::move(handed));
}

void AliasService::update_providers(const std::vector<Name>& changed, storage::Database& db) {
  auto providers = providers_;
  for (const auto& apex : changed) {
    auto flag = db.zone_provider(apex);
    if (!flag) {
      // Not trusted when unknown: the zone resolves nothing locally until the next change.
      log_error("flatten: provider flag of " + apex.to_text() + ": " + flag.error());
      flag = std::optional<bool>(false);
    }
    const bool provider = flag->value_or(false);  // a deleted zone is no provider zone
    if (provider == providers->contains(apex)) continue;
    log_info("flatten: zone " + apex.to_text() +
             (provider ? " is provider-owned: ALIAS targets in it resolve locally"
                       : " is not provider-owned: ALIAS targets in it resolve upstream"));
    providers = std::make_shared<const flatten::ProviderZones>(providers->with(apex, provider));
  }
  providers_ = std::move(providers);
}

std::vector<flatten::AliasSpec> AliasService::aliases_of(const Name& apex) const {
  auto it = by_zone_.find(apex);
  return it == by_zone_.end() ? std::vector<flatten::AliasSpec>{} : it->second;
}

Result<Name> AliasService::refresh(const Name& owner) {
  for (const auto& [apex, specs] : by_zone_)
    for (const auto& spec : specs)
      if (spec.owner == owner) {
        log_info("flatten: " + owner.to_text() + " ALIAS " + spec.target.to_text() +
                 ": resolving the target now, as asked on the control socket");
        flattener_->refresh(spec.target);
        return spec.target;
      }
  return Error{"no alias at " + owner.to_text()};
}

std::string AliasService::summary() const {
  auto c = flattener_->counters();
  std::string out = "flatten: " + std::to_string(c.targets) + " targets, " +
                    std::to_string(c.refreshes) + " refreshes, " + std::to_string(c.failures) +
                    " failures, " + std::to_string(c.upstream_queries) + " upstream queries, " +
                    std::to_string(c.local_resolutions) + " local resolutions, " +
                    std::to_string(c.stale_families) + " stale and " +
                    std::to_string(c.failed_families) + " failed target families, " +
                    std::to_string(c.health_failures) + "/" + std::to_string(c.health_probes) +
                    " health probes failed";
  for (const auto& r : upstream_->stats())
    out += "; resolver " + flatten::endpoint_text(r.endpoint) +
           (r.healthy ? " healthy" : " unhealthy") + " (" + std::to_string(r.queries) +
           " queries, " + std::to_string(r.failures) + " failures, " + std::to_string(r.timeouts) +
           " time-outs)";
  return out;
}

namespace {

// The A/AAAA a zone's ALIAS owners serve, as a transfer carries them, in canonical order.
ServedAddresses in_served_order(ServedAddresses records) {
  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    if (auto c = a.owner.canonical_compare(b.owner); c != 0) return c < 0;
    if (a.type != b.type) return a.type < b.type;
    return a.rdata < b.rdata;
  });
  return records;
}

ServedAddresses served_addresses(const Zone& zone, const AliasTable& table) {
  return in_served_order(flattened_records(zone, table));
}

}  // namespace

void AliasService::index_targets(const Name& apex, const std::vector<flatten::AliasSpec>& specs,
                                 bool add) {
  for (const auto& spec : specs) {
    std::string key(spec.target.lowercased().wire_view());
    auto& zones = zones_by_target_[key];
    if (add) {
      ++zones[apex];
      continue;
    }
    auto it = zones.find(apex);
    if (it != zones.end() && --it->second == 0) zones.erase(it);
    if (zones.empty()) zones_by_target_.erase(key);
  }
}

std::set<Name, CanonicalLess> AliasService::zones_to_compare(const AliasTable& table) {
  std::set<Name, CanonicalLess> apexes = std::move(zones_changed_since_);
  zones_changed_since_.clear();
  if (compared_table_)
    for (const std::string& key : table.changed_targets(*compared_table_)) {
      auto it = zones_by_target_.find(key);
      if (it == zones_by_target_.end()) continue;
      for (const auto& [apex, count] : it->second) apexes.insert(apex);
    }
  return apexes;
}

std::vector<ServedChange> AliasService::zones_served_differently(const Snapshot& snapshot) {
  std::vector<ServedChange> changed;
  std::set<Name, CanonicalLess> apexes;
  if (served_known_) {
    apexes = zones_to_compare(*snapshot.aliases);
  } else {
    for (const auto& [apex, specs] : by_zone_) apexes.insert(apex);
    zones_changed_since_.clear();
  }
  for (const Name& apex : apexes) {
    auto specs = by_zone_.find(apex);
    const Zone* zone = specs == by_zone_.end()
                           ? nullptr
                           : snapshot.zones->find_exact(apex.lowercased().wire_view());
    auto before = served_.find(apex);
    if (!zone) {  // no aliases any more, or not served: nothing to compare with later
      if (before != served_.end()) served_.erase(before);
      continue;
    }
    ServedAddresses served = served_addresses(*zone, *snapshot.aliases);
    if (zone->is_signed()) {
      // A signed zone serves what its snapshot holds, signed with its TTLs: compared with
      // that, a publication its build missed (the flattener published meanwhile, or before
      // the first comparison) is never lost, and a new TTL is a new publication too.
      ServedAddresses held = in_served_order(held_flattened_records(*zone));
      if (held != served) changed.push_back({apex, std::move(held), true});
      served_[apex] = std::move(served);
      continue;
    }
    if (!served_known_ || before == served_.end()) {  // the first look only records
      served_[apex] = std::move(served);
      continue;
    }
    // Kept with its TTLs: served() hands them to the journal step.
    if (!same_addresses(before->second, served)) changed.push_back({apex, before->second});
    before->second = std::move(served);
  }
  served_known_ = true;
  compared_table_ = snapshot.aliases;
  return changed;
}

ServedAddresses AliasService::served(const Name& apex) const {
  auto it = served_.find(apex);
  return it == served_.end() ? ServedAddresses{} : it->second;
}

}  // namespace apex::server
