// Startup and shutdown sequencing for apexd.
#include "server/server.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "flatten/endpoint_text.hpp"
#include "server/alias_serial_bumper.hpp"
#include "server/alias_service.hpp"
#include "server/config_reload.hpp"
#include "server/control_socket.hpp"
#include "server/database_reopen.hpp"
#include "server/descriptor_limit.hpp"
#include "server/dnstap_output.hpp"
#include "server/listen_claim.hpp"
#include "server/log.hpp"
#include "server/metrics_collector.hpp"
#include "server/metrics_exposition.hpp"
#include "server/metrics_listener.hpp"
#include "server/notifier.hpp"
#include "server/privilege_drop.hpp"
#include "server/process_signals.hpp"
#include "server/secondary_state_recorder.hpp"
#include "server/server_control.hpp"
#include "server/service_manager.hpp"
#include "server/snapshot_store.hpp"
#include "server/stats_json.hpp"
#include "server/stats_reporter.hpp"
#include "server/udp_receive_buffer.hpp"
#include "server/worker.hpp"
#include "server/worker_totals.hpp"
#include "server/zone_follower.hpp"
#include "storage/database.hpp"
#include "storage/journal_snapshots.hpp"
#include "storage/zone_loader.hpp"

namespace apex::server {
namespace {

struct Loaded {
  std::unique_ptr<storage::Database> db;
  ZoneIndexPtr index;
  std::int64_t seen = 0;                          // the change log id the index includes
  storage::CatalogState catalog;                  // the catalog zone the index includes
  std::vector<storage::SignedZone> signed_zones;  // signed as they were loaded
  std::size_t signatures_made = 0;                // by the load
  std::size_t signatures_reused = 0;
};

storage::SigningPolicy signing_policy(const Config& config) {
  storage::SigningPolicy policy;
  policy.signature_validity_s = config.dnssec.signature_validity_s;
  policy.refresh_s = config.dnssec.refresh_s;
  policy.jitter_fraction = config.dnssec.jitter_fraction;
  return policy;
}

// What apexd cannot do with this database, said once at start rather than at every write.
void warn_about(storage::Database& db) {
  if (db.read_only())
    log_warning("database " + db.path().string() +
                " is read-only for apexd: serving it and following changes others make, but "
                "flattened ALIAS results live in memory only (a restart starts from the stored "
                "ones), ALIAS serial bumps and secondaries' status are not saved");
  auto missing = db.missing_schema();
  if (!missing) {
    log_error(missing.error());
    return;
  }
  for (const std::string& object : *missing)
    log_error("database " + db.path().string() + ": " + object +
              " is missing: what it holds is neither read nor saved (run 'apexctl init' to "
              "recreate it)");
}

// The zones among apexes with ALIAS records, as handed to the flattener.
std::vector<Name> with_aliases(const AliasService& aliases,
                               const std::vector<storage::SignedZone>& zones) {
  std::vector<Name> out;
  for (const storage::SignedZone& zone : zones)
    if (!aliases.aliases_of(zone.apex).empty()) out.push_back(zone.apex);
  return out;
}

Result<Loaded> load(const Config& config) {
  auto started = std::chrono::steady_clock::now();
  auto db = storage::Database::open(config.database, storage::OpenMode::kExisting);
  if (!db) return Error{db.error()};
  warn_about(**db);
  // Read before loading: a change committed during the load is applied again afterwards,
  // which is harmless, rather than missed.
  auto seen = (*db)->last_change_id();
  if (!seen) return Error{seen.error()};
  storage::LoadReport report;
  auto index = storage::load_zone_index(**db, report, signing_policy(config));
  if (!index) return Error{index.error()};
  for (const auto& why : report.rejected) log_error("zone not served: " + why);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  log_info("loaded " + std::to_string(report.zones) + " zones (" +
           std::to_string(report.signed_zones.size()) + " signed), " +
           std::to_string(report.records) + " records from " + config.database.string() + " in " +
           std::to_string(ms) + " ms");
  if (!report.signed_zones.empty())
    log_info("signatures: " + std::to_string(report.signatures_made) + " signed, " +
             std::to_string(report.signatures_reused) + " reused from the database");
  for (const auto& why : report.unsaved) log_warning("signatures not stored: " + why);
  if (report.catalog.name)
    log_info("catalog " + report.catalog.name->to_text() + ": serial " +
             std::to_string(report.catalog.serial));
  return Loaded{std::move(*db),
                std::move(*index),
                *seen,
                report.catalog,
                std::move(report.signed_zones),
                report.signatures_made,
                report.signatures_reused};
}

std::string listen_list(const Config& config) {
  std::string out;
  for (const auto& ep : config.listen)
    out += (out.empty() ? "" : ", ") + flatten::endpoint_text(ep);
  return out;
}

// Publishes the TSIG keys and secondaries (transfer access); on error the previous stay.
void publish_transfer_access(storage::Database& db, SnapshotStore& store) {
  auto settings = db.load_transfer_settings();
  auto access = settings ? TransferAccess::from(*settings)
                         : Result<TransferAccessPtr>(Error{settings.error()});
  if (!access) {
    log_error("transfer settings not applied: " + access.error());
    return;
  }
  log_info("zone transfers: " + std::to_string((*access)->keyring().size()) + " TSIG keys, " +
           std::to_string((*access)->secondaries()) + " secondaries");
  store.publish_access(std::move(*access));
}

// Sizes the TCP connection limit to the descriptors apexd may open.
void fit_descriptor_limit(Config& config) {
  const unsigned limit = raise_descriptor_limit();
  const unsigned fit = tcp_connections_that_fit(limit, config);
  if (fit < config.tcp_max_connections)
    log_warning("tcp_max_connections lowered from " + std::to_string(config.tcp_max_connections) +
                " to " + std::to_string(fit) + ": the descriptor limit is " +
                std::to_string(limit) + " (raise it with LimitNOFILE= or ulimit -n)");
  config.tcp_max_connections = fit;
}

// Said once: the operator's sysctl decides, and a smaller buffer drops bursts (README, [server]).
void warn_if_receive_buffer_capped(const Config& config,
                                   const std::vector<std::unique_ptr<Worker>>& workers) {
  if (config.udp_receive_buffer == 0 || workers.empty()) return;
  const std::size_t granted = workers.front()->udp_receive_buffer();
  if (granted >= std::min(config.udp_receive_buffer, kLargestReceiveBuffer)) return;
  log_warning("UDP receive buffer: " + std::to_string(granted) + " bytes granted of the " +
              std::to_string(config.udp_receive_buffer) +
              " asked (udp_receive_buffer); raise net.core.rmem_max to at least that, or run "
              "apexd with CAP_NET_ADMIN, or bursts of queries may be dropped");
}

// Binds every worker's sockets on addresses no other process holds.
Result<std::vector<std::unique_ptr<Worker>>> open_workers(
    Config& config, const SnapshotStore& store, ConnectionTable& connections,
    TransferServices& transfers, const RrlSettingsStore& rrl, DnstapOutput& dnstap) {
  auto claimed = claim_listen_addresses(config.listen);
  if (!claimed) return Error{claimed.error()};
  config.listen = std::move(claimed).value();
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < config.threads; ++i) {
    workers.push_back(
        std::make_unique<Worker>(config, store, connections, transfers, rrl, dnstap.logger(i)));
    if (auto ok = workers.back()->open(config); !ok) return Error{ok.error()};
  }
  warn_if_receive_buffer_capped(config, workers);
  return workers;
}

// SIGTERM: no new TCP connections, idle ones closed, busy ones finish their query or transfer;
// then stop, at the latest after timeout (UDP answers until then).
void drain_then_stop(std::vector<std::unique_ptr<Worker>>& workers,
                     boost::asio::steady_timer& timer, std::chrono::milliseconds timeout,
                     std::function<void()> stop) {
  for (auto& w : workers) w->drain();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto check = std::make_shared<std::function<void()>>();
  *check = [&workers, &timer, deadline, stop, check] {
    std::size_t open = 0;
    for (const auto& w : workers) open += w->open_connections();
    if (open == 0 || std::chrono::steady_clock::now() >= deadline) {
      if (open > 0)
        log_warning("stopping with " + std::to_string(open) +
                    " TCP connection(s) still busy after the drain time-out");
      // Breaks the cycle the lambda holds on itself, which destroys this lambda and its
      // captures: stop is taken out of it first.
      const std::function<void()> then = stop;
      *check = nullptr;
      then();
      return;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    timer.async_wait([check](const boost::system::error_code& ec) {
      if (!ec && *check) (*check)();
    });
  };
  log_info("stopping: no new TCP connections, waiting for busy ones (at most " +
           std::to_string(timeout.count()) + " ms)");
  (*check)();
}

}  // namespace

int run_server(Config config, const ConfigReader& reread) {
  set_log_level(config.log_level);
  fit_descriptor_limit(config);
  // Before loading, so that `apexctl status` can say "loading"; before dropping privileges,
  // which it outlives (owned by --user, removed at exit).
  auto opened_socket = open_control_socket(config.control_socket, config.database, config.user);
  if (!opened_socket) {
    log_error(opened_socket.error());
    return 1;
  }
  ControlSocket* control_socket = opened_socket->get();  // null: none (a read-only directory)
  if (control_socket)
    control_socket->start(JsonObject()
                              .add("database", config.database.string())
                              .add_raw("listen", json_string_array({listen_list(config)})));
  const ServiceManager service;
  Readiness readiness;  // loading until the workers run: /readyz answers 503 meanwhile
  MetricsListener metrics(readiness);
  if (config.metrics_listen)
    if (auto ok = metrics.start(*config.metrics_listen); !ok) {
      log_error("cannot serve metrics: " + ok.error());
      return 1;
    }
  service.status("loading zones from " + config.database.string());
  auto loaded = load(config);
  if (!loaded) {
    log_error(loaded.error());
    return 1;
  }
  SnapshotStore store(std::move(loaded->index));
  publish_transfer_access(*loaded->db, store);
  ConnectionTable connections(config.tcp_max_connections, config.tcp_max_connections_per_client);
  SecondaryEvents secondary_events;  // NOTIFY and transfers, for `apexctl zone status`
  JournalReader journal(config.database);
  TransferSlots transfer_slots(config.transfer.max_concurrent);
  TransferServices transfer_services{secondary_events, journal, transfer_slots};
  RrlSettingsStore rrl(config.rrl);
  DnstapOutput dnstap(config.dnstap, config.identity, config.threads);
  auto opened = open_workers(config, store, connections, transfer_services, rrl, dnstap);
  if (!opened) {
    log_error("cannot listen: " + opened.error());
    return 1;
  }
  auto& workers = *opened;
  if (!config.user.empty()) {
    if (auto dropped = drop_privileges(config.user); !dropped) {
      log_error("cannot run as " + config.user + ": " + dropped.error());
      return 1;
    }
    log_info("running as user " + config.user + ", without capabilities");
  }
  // After the privilege drop: the collector's socket is reached as the user apexd runs as.
  if (auto ok = dnstap.start(); !ok) {
    log_error(ok.error());
    return 1;
  }
  boost::asio::io_context control;
  boost::asio::steady_timer drain_timer(control);
  auto reload = [&] {
    service.reloading();
    auto done = reload_config(config, reread());
    rrl.publish(config.rrl);
    service.ready();
    return done;
  };
  ProcessSignals signals(
      control,
      [&] {
        service.stopping();
        readiness.set(ReadinessState::kDraining);
        if (control_socket) control_socket->draining();
        drain_then_stop(workers, drain_timer, std::chrono::milliseconds(config.drain_timeout_ms),
                        [&] { control.stop(); });
      },
      [&] { static_cast<void>(reload()); });  // the outcome is logged
  signals.start();
  AliasService aliases(config, store);
  if (auto ok = aliases.start(store.current(), *loaded->db); !ok) {
    log_error("cannot start the ALIAS flattener: " + ok.error());
    return 1;
  }
  ZoneFollower follower(control, std::move(loaded->db), store, loaded->seen,
                        std::chrono::milliseconds(config.reload_interval_ms));
  follower.catalog_published(loaded->catalog);
  follower.set_signing(signing_policy(config));
  follower.zones_signed(loaded->signed_zones);
  follower.count_signatures(loaded->signatures_made, loaded->signatures_reused);
  // A signed zone's IXFR steps hold the signatures and chain links apexd made for each
  // version, so apexd writes them as it publishes (RFC 1995 §4).
  storage::SnapshotJournal signed_journal(config.journal);
  signed_journal.answering(false);
  follower.on_replacing([&signed_journal](const Name& apex, const ZonePtr& before,
                                          const ZonePtr& after, storage::Database& db) {
    if (auto ok = signed_journal.replacing(db, apex, before, after); !ok)
      log_warning("zone " + apex.to_text() +
                  ": IXFR journal not written, secondaries may get the whole zone: " + ok.error());
  });
  // The loader signed zones before the flattener's results were known: their ALIAS owners
  // get the published addresses before the first query, so at once, here; from then on
  // signed zones are rebuilt in the background.
  follower.aliases_changed(with_aliases(aliases, loaded->signed_zones));
  follower.sign_in_background();
  signed_journal.answering(true);
  Notifier notifier(control, store, config.notify, secondary_events);
  SecondaryStateRecorder recorder(control, config.database, secondary_events);
  recorder.start();
  if (auto ok = notifier.start(); !ok) {
    log_error("cannot send NOTIFY: " + ok.error());
    return 1;
  }
  // After a restart the secondaries are told the current serials: a change committed just
  // before a crash may never have been announced.
  notifier.all_zones_changed(store.current());
  follower.on_change([&aliases, &notifier](const ZoneIndexPtr& zones,
                                           const std::vector<Name>& changed,
                                           storage::Database& db) {
    aliases.zones_changed(zones, changed, db);
    notifier.zones_changed(zones, changed);
  });
  auto serial_db = storage::Database::open(config.database, storage::OpenMode::kExisting);
  if (!serial_db) {
    log_error(serial_db.error());
    return 1;
  }
  AliasSerialBumper alias_serials(
      control, std::move(*serial_db), config.notify.alias_serial_interval, config.journal,
      [&] { return aliases.zones_served_differently(store.snapshot()); },
      [&](const Name& apex) { return aliases.served(apex); });
  alias_serials.on_not_raised(
      [&follower](const std::vector<Name>& apexes) { follower.aliases_changed(apexes); });
  alias_serials.start();
  // A secondary added (or given zones, or another key) is told about its zones at once, so
  // it need not wait for its SOA refresh (RFC 1996 §1).
  follower.on_settings_change([&store, &notifier](storage::Database& db) {
    const TransferAccessPtr before = store.snapshot().access;
    publish_transfer_access(db, store);
    const TransferAccessPtr after = store.snapshot().access;
    if (after != before) notifier.secondaries_changed(store.current(), *before);
  });
  DatabaseReopen reopen(config.database, {follower, alias_serials, recorder, journal, aliases},
                        store, notifier);
  if (auto ok = reopen.start(); !ok) {
    log_error(ok.error());
    return 1;
  }
  follower.start();
  StatsReporter stats(control, std::chrono::seconds(config.stats_interval_s), [&] {
    const WorkerTotals t = worker_totals(workers);
    return "stats: " + std::to_string(t.responses) + " responses, " +
           std::to_string(t.stale_alias_answers) + " stale ALIAS answers, " +
           std::to_string(t.transfers) + " zone transfers (" + std::to_string(t.transfers_refused) +
           " refused, " + std::to_string(t.transfers_busy) + " of them over max_concurrent), RRL " +
           std::to_string(t.rrl_slipped) + " slipped/" + std::to_string(t.rrl_dropped) +
           " dropped/" + std::to_string(t.rrl_would_limit) + " log-only, NOTIFY " +
           std::to_string(notifier.counters().sent) + " sent/" +
           std::to_string(notifier.counters().acknowledged) + " acknowledged/" +
           std::to_string(notifier.counters().given_up) + " unanswered, " +
           std::to_string(dropped_log_lines()) + " log lines dropped; " + aliases.summary() +
           (dnstap.enabled() ? "; " + dnstap.summary() : "");
  });
  stats.start();
  for (auto& w : workers) w->start();
  log_info("serving UDP and TCP on " + listen_list(config) + " with " +
           std::to_string(config.threads) + " worker thread(s)");
  metrics.set_source([&] {
    return render_metrics(collect_metrics({workers, store, follower, aliases, notifier}));
  });
  readiness.set(ReadinessState::kServing);
  service.ready();
  ServerControl commands(config, store, follower, aliases, reload,
                         [&] { return stats_json(workers, notifier, aliases); });
  if (control_socket) control_socket->serve(control, commands);
  control.run();
  if (control_socket) control_socket->detach();  // commands and control go away first
  metrics.set_source(nullptr);                   // what it reads goes away from here on
  for (auto& w : workers) w->stop();
  recorder.flush();  // what the last second saw
  log_info("stopped");
  return 0;
}

}  // namespace apex::server
