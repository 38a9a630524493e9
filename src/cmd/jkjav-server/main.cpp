// jkjav-server's composition root: reads the settings, wires adapters into use cases, one worker
// per thread (own io_context, acceptor and Redis connection), and stops cleanly on SIGTERM/SIGINT.
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "adapters/config/campaign_file.hpp"
#include "adapters/http/api_handler.hpp"
#include "adapters/http/api_routes.hpp"
#include "adapters/http/exclusive_port.hpp"
#include "adapters/http/http_server.hpp"
#include "adapters/http/snapshot_publisher.hpp"
#include "adapters/logging/log_fields.hpp"
#include "adapters/logging/log_format.hpp"
#include "adapters/metrics/metrics_exposition.hpp"
#include "adapters/metrics/process_stats.hpp"
#include "adapters/metrics/queue_metrics_collector.hpp"
#include "adapters/metrics/server_state_collector.hpp"
#include "adapters/metrics/worker_metrics.hpp"
#include "adapters/metrics/worker_metrics_collector.hpp"
#include "adapters/queue/hmac_queue_tickets.hpp"
#include "adapters/queue/queue_ticker.hpp"
#include "adapters/queue/redis_queue_store.hpp"
#include "adapters/redis/redis_booking_store.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_lookup_failures.hpp"
#include "adapters/redis/redis_outbox.hpp"
#include "adapters/redis/redis_slot_counters.hpp"
#include "adapters/redis/sentinel_watch.hpp"
#include "app/availability_service.hpp"
#include "app/booking_service.hpp"
#include "app/lookup_guard.hpp"
#include "app/queue_service.hpp"
#include "booking_store_failpoint.hpp"
#include "cmd/common/atomic_file.hpp"
#include "event_relay.hpp"
#include "identity_setup.hpp"
#include "loop_failpoint.hpp"
#include "server_config.hpp"
#include "web_root.hpp"

namespace {

namespace asio = boost::asio;
using namespace jkjav;

// Everything one thread owns. Nothing here is touched from another thread, except openSessions().
struct Worker {
    Worker(const domain::Campaign& campaign, const cmd::ServerConfig& config, const app::Clock& clock,
           const http::ServiceHealth& health, http::ConnectionBudget& connections,
           http::ClientRateLimits& rateLimits, const http::StaticSite& site,
           const metrics::MetricsExposition& exposition, const app::IdentityVerifier& identity,
           const app::QueueTickets* queueTickets)
        : metrics(http::routeLabels().size()),
          redis(redis::RedisConnection::create(ioc.get_executor(), config.redis,
                                               redis::RedisOptions{.commandTimeout = config.redisTimeout},
                                               &metrics.redis)),
          bookingRedis(bookingConnectionFor(config)),
          store(redis, redis::RedisKeys(), config.bookingBatchMax, bookingRedis, config.replicaAck),
          storeFailpoint(cmd::bookingStoreFailpoint(store)),
          bookings(campaign, storeFailpoint ? *storeFailpoint : static_cast<app::BookingStore&>(store), clock,
                   metrics.bookings, queueTickets),
          queueStore(queueStoreFor(campaign, redis)),
          waitingRoom(queueServiceFor(campaign, queueTickets, clock)),
          lookupFailures(redis, redis::RedisKeys()),
          lookups(bookings, lookupFailures, app::LookupLockPolicy{.maxFailures = config.lookupFailureLimit}),
          api(campaign, bookings, lookups, rateLimits, snapshots, health,
              std::max(config.snapshotInterval * 4, std::chrono::milliseconds(2000)), site, &exposition,
              identity, waitingRoom.get()),
          listener(ioc.get_executor(), api, config.limits, connections, metrics.http) {}

    asio::io_context ioc{1};
    // This thread's counters, merged only when /metrics is scraped: no cache line is shared with
    // another worker on the request path (adapters/metrics/metric_cells.hpp).
    metrics::WorkerMetrics metrics;
    std::shared_ptr<redis::RedisConnection> redis;
    // Bookings and cancellations, when replicas must confirm them (none otherwise: they share
    // `redis`). Their WAIT blocks the connection it is sent on until the replicas answer or
    // REDIS_WAIT_TIMEOUT_MS passes, and on a shared connection every availability read, lookup and
    // queue call behind it would wait too: a slow replica would stall the whole thread. On
    // connections of their own only writes wait, and those wait for the WAIT anyway. (WAIT
    // confirms only its own connection's writes, so it cannot go anywhere else.) One, not more: see
    // BookingBatcher::create. nullptr when no replica must confirm.
    std::shared_ptr<redis::RedisConnection> bookingRedis;
    redis::RedisBookingStore store;
    std::unique_ptr<app::BookingStore> storeFailpoint;  // test builds only: JKJAV_FAILPOINT
    app::BookingService bookings;
    // The waiting room, when the campaign has one (null otherwise).
    std::unique_ptr<queue::RedisQueueStore> queueStore;
    app::QueueSnapshotSlot queueSnapshots;
    std::unique_ptr<app::QueueService> waitingRoom;
    redis::RedisLookupFailures lookupFailures;
    app::LookupGuard lookups;
    http::SnapshotSlot snapshots;
    http::ApiHandler api;
    http::HttpListener listener;

    void startRedis(const supervision::Supervision& loops) const {
        redis->start(loops);
        if (bookingRedis) bookingRedis->start(loops);
    }
    void stopRedis() const {
        redis->stop();
        if (bookingRedis) bookingRedis->stop();
    }

  private:
    std::shared_ptr<redis::RedisConnection> bookingConnectionFor(const cmd::ServerConfig& config) {
        if (!config.replicaAck.required()) return nullptr;
        // A WAIT may take its whole timeout on top of an ordinary reply's time: not a dead connection.
        // No stats: jkjav_redis_command_duration_seconds keeps timing Redis itself, not replicas'
        // WAITs, and jkjav_redis_up one flag per thread (the connection it reads from).
        return redis::RedisConnection::create(
            ioc.get_executor(), config.redis,
            redis::RedisOptions{.commandTimeout = config.redisTimeout + config.replicaAck.timeout});
    }
    static std::unique_ptr<queue::RedisQueueStore> queueStoreFor(
        const domain::Campaign& campaign, const std::shared_ptr<redis::RedisConnection>& redis) {
        if (!campaign.queue()) return nullptr;
        return std::make_unique<queue::RedisQueueStore>(redis, redis::RedisKeys(), *campaign.queue());
    }
    std::unique_ptr<app::QueueService> queueServiceFor(const domain::Campaign& campaign,
                                                       const app::QueueTickets* tickets,
                                                       const app::Clock& clock) {
        if (!queueStore || tickets == nullptr) return nullptr;
        return std::make_unique<app::QueueService>(campaign, *campaign.queue(), *queueStore, *tickets, clock,
                                                   queueSnapshots, std::random_device{}(), metrics.queue);
    }
};

asio::awaitable<void> shutDown(std::vector<std::unique_ptr<Worker>>& workers,
                               http::SnapshotPublisher& publisher, queue::QueueTicker* queueTicker,
                               redis::SentinelWatch* sentinelWatch, redis::AckQuorumWatch* ackQuorumWatch,
                               http::ServiceHealth& health, std::chrono::seconds drainTimeout) {
    spdlog::info("stopping: SIGTERM, /readyz answers 503, no new connections");
    health.draining.store(true);
    // Shared: a worker stuck past DRAIN_SECONDS may run its part after this coroutine has ended.
    auto draining = std::make_shared<std::atomic<std::size_t>>(0);
    for (auto& worker : workers) {
        asio::post(worker->ioc, [&listener = worker->listener, draining] {
            listener.stopAccepting();
            listener.drain();
            draining->fetch_add(1);
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + drainTimeout;
    asio::steady_timer poll(workers.front()->ioc);
    // Said once every listener drains: from then on no answer keeps a connection open.
    while (draining->load() < workers.size() && std::chrono::steady_clock::now() < deadline) {
        poll.expires_after(std::chrono::milliseconds(1));
        co_await poll.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    std::size_t open = 0;
    for (auto& worker : workers) open += worker->listener.openSessions();
    spdlog::info(
        "stopping: every listener drains ({} connections open): each request is answered with "
        "Connection: close, a connection quiet for DRAIN_QUIET_MS is closed, any left after DRAIN_SECONDS "
        "too",
        open);
    auto busy = [&] {
        for (auto& worker : workers) {
            if (worker->listener.openSessions() > 0) return true;
        }
        return false;
    };
    while (busy() && std::chrono::steady_clock::now() < deadline) {
        poll.expires_after(std::chrono::milliseconds(20));
        co_await poll.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (busy())
        spdlog::warn("stopping: connections still open after {} s, closing them", drainTimeout.count());
    publisher.stop();
    if (queueTicker != nullptr) queueTicker->stop();
    if (sentinelWatch != nullptr) sentinelWatch->stop();    // runs on this thread (the first worker's)
    if (ackQuorumWatch != nullptr) ackQuorumWatch->stop();  // after the drain: its answers need a verdict
    for (auto& worker : workers) {
        asio::post(worker->ioc, [&w = *worker] {
            w.stopRedis();
            w.ioc.stop();
        });
    }
}

// Every connection is a file descriptor; the usual soft limit of 1024 would cap the crowd there.
// Returns the limit now in force.
std::size_t raiseFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    if (limit.rlim_cur < 16384) {
        spdlog::warn("at most {} open files: raise the hard limit (ulimit -Hn) for a large crowd",
                     limit.rlim_cur);
    }
    return limit.rlim_cur == RLIM_INFINITY ? 1'000'000 : static_cast<std::size_t>(limit.rlim_cur);
}

// MAX_CONNECTIONS when unset: the open-file limit less what the rest of the process needs: Redis
// connections, each thread's epoll/eventfd/timerfd, librdkafka's sockets and pipes, logs, and one
// descriptor to accept and refuse with. Past that an accept would fail with EMFILE, which leaves the
// caller hanging in the backlog; below it every extra connection is refused with a 503 at once.
std::size_t defaultMaxConnections(std::size_t openFileLimit, unsigned threads) {
    const std::size_t reserve = 64 + 4 * static_cast<std::size_t>(threads);
    return openFileLimit > reserve + 16 ? openFileLimit - reserve : 16;
}

std::string hostName() {
    char host[256] = "jkjav";
    gethostname(host, sizeof host - 1);
    return host;
}

// Once, at start: every setting as this process understood it, so an operator can check them.
void logConfiguration(const cmd::ServerConfig& config) {
    std::vector<logging::LogField> fields;
    fields.reserve(config.effectiveSettings.size());
    for (const auto& setting : config.effectiveSettings) fields.emplace_back(setting.name, setting.value);
    logging::logWith(fields, spdlog::level::info, "configuration ({} settings)", fields.size());
}

void runWorker(Worker& worker) {
    try {
        worker.ioc.run();
    } catch (const std::exception& e) {
        spdlog::critical("worker thread failed: {}", e.what());
        std::_Exit(1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = cmd::parseServerConfig(argc, argv);
    if (auto* exitNow = std::get_if<cmd::ExitNow>(&parsed)) return exitNow->code;
    auto& config = std::get<cmd::ServerConfig>(parsed);
    spdlog::set_level(spdlog::level::from_str(config.logLevel));
    logging::installLogFormat(config.logFormat);
    logConfiguration(config);
    const std::size_t openFileLimit = raiseFileLimit();
    const std::size_t maxConnections = config.maxConnections > 0
                                           ? config.maxConnections
                                           : defaultMaxConnections(openFileLimit, config.threads);
    spdlog::info("max connections: {} (open-file limit {})", maxConnections, openFileLimit);
    http::ConnectionBudget connections(maxConnections);

    auto loaded = config::loadCampaignFile(config.campaignFile);
    if (auto* error = std::get_if<config::CampaignFileError>(&loaded)) {
        spdlog::critical("campaign: {}", error->message);
        return 1;
    }
    const auto& campaign = std::get<domain::Campaign>(loaded);

    auto loadedSite = cmd::loadWebRoot(config.webRoot);
    if (auto* error = std::get_if<std::string>(&loadedSite)) {
        spdlog::critical("--web-root/WEB_ROOT: {}", *error);
        return 2;
    }
    const auto& site = std::get<http::StaticSite>(loadedSite);

    boost::system::error_code ec;
    const auto address = asio::ip::make_address(config.bindAddress, ec);
    if (ec) {
        spdlog::critical("--bind/BIND_ADDRESS: '{}' is not an IP address", config.bindAddress);
        return 2;
    }

    http::ServiceHealth health;
    const app::SystemClock clock;
    auto builtIdentity = cmd::buildIdentityVerifier(config, clock);
    if (auto* error = std::get_if<std::string>(&builtIdentity)) {
        spdlog::critical("{}", *error);
        return 2;
    }
    // Keys read once, here; one verifier for every thread (it keeps no state).
    const auto& identity = *std::get<std::unique_ptr<app::IdentityVerifier>>(builtIdentity);
    // One table for all threads: a client's connections land on any of them.
    http::ClientRateLimits rateLimits(config.trustedProxies, config.rateLimits);
    // SO_REUSEPORT would let this server join a port another process already serves (a second
    // `make run`): both would take half the connections. Refuse instead.
    if (auto taken = http::probeExclusiveBind({address, config.port})) {
        spdlog::critical(
            "port {} on {} is already in use by another process ({}); refusing to share it: "
            "stop that process (another jkjav-server?) or choose another PORT",
            config.port, config.bindAddress, taken.message());
        return 1;
    }
    metrics::MetricsExposition exposition;  // its collectors are added below, before any thread serves
    // The waiting room: refused without a real key, as tickets signed with a guessable one are forgeable.
    std::unique_ptr<queue::HmacQueueTickets> queueTickets;
    if (campaign.queue()) {
        if (config.queueSecret.size() < queue::kMinQueueSecretBytes) {
            spdlog::critical(
                "campaign '{}' has a queue: QUEUE_SECRET must be set to at least {} bytes (it signs the "
                "queue's tickets; e.g. `openssl rand -base64 48`), the same on every server",
                campaign.name(), queue::kMinQueueSecretBytes);
            return 1;
        }
        queueTickets = std::make_unique<queue::HmacQueueTickets>(config.queueSecret);
    }
    // With Sentinels, a write waits for every replica their majority holds alive (ack_quorum.hpp):
    // the lease is in every store's ReplicaAck before the workers are made; the watch starts below.
    std::shared_ptr<redis::AckLease> ackLease;
    if (!config.redis.sentinels.empty() && config.replicaAck.replicas > 0) {
        ackLease = std::make_shared<redis::AckLease>();
        config.replicaAck.lease = ackLease;
        health.sentinelMajority.store(false);  // until the first verdict
    }
    std::vector<std::unique_ptr<Worker>> workers;
    std::uint16_t port = config.port;
    for (unsigned i = 0; i < config.threads; ++i) {
        workers.push_back(std::make_unique<Worker>(campaign, config, clock, health, connections, rateLimits,
                                                   site, exposition, identity, queueTickets.get()));
        if (auto listenError = workers.back()->listener.listen({address, port})) {
            spdlog::critical("cannot listen on {}:{}: {}", config.bindAddress, port, listenError.message());
            return 1;
        }
        port = workers.back()->listener.port();  // PORT=0: the others join the port the first one got
    }

    Worker& first = *workers.front();
    redis::RedisSlotCounters counters(first.redis, redis::RedisKeys());
    app::AvailabilityService availability(campaign, counters, clock);
    redis::RedisOutbox outboxBacklog(first.redis, redis::RedisKeys());
    http::SnapshotPublisher publisher(first.ioc.get_executor(), availability, outboxBacklog, campaign,
                                      config.snapshotInterval, health);
    std::unique_ptr<cmd::EventRelay> relay;
    std::vector<const metrics::WorkerMetrics*> workerMetrics;
    for (const auto& worker : workers) workerMetrics.push_back(&worker->metrics);
    exposition.add(std::make_shared<metrics::WorkerMetricsCollector>(http::routeLabels(), workerMetrics));
    exposition.add(std::make_shared<metrics::ServerStateCollector>(metrics::ServerStateSources{
        .health = health,
        .connections = connections,
        .publisher = publisher,
        // `relay` is set below, before any worker runs, and reset only after they all stopped.
        .eventsPublished = [&relay]() -> std::uint64_t { return relay ? relay->deliveredTotal() : 0; },
        .eventsUnreplicated = [&relay]() -> std::uint64_t {
            return relay ? relay->unreplicatedTotal() : 0;
        }}));
    exposition.add(std::make_shared<metrics::ProcessCollector>());
    // Every server runs the admission rounds; admit.lua makes any number of them admit at one rate.
    std::unique_ptr<queue::QueueTicker> queueTicker;
    if (first.queueStore) {
        queueTicker = std::make_unique<queue::QueueTicker>(first.ioc.get_executor(), *first.queueStore,
                                                           *campaign.queue(), config.snapshotInterval);
        std::vector<const metrics::QueueCells*> queueCells;
        for (const auto& worker : workers) queueCells.push_back(&worker->metrics.queue);
        // The ticker outlives every scrape: it is destroyed after the workers have stopped.
        exposition.add(std::make_shared<metrics::QueueMetricsCollector>(metrics::QueueMetricsSources{
            .snapshot = [ticker = queueTicker.get()] { return ticker->latest(); },
            .opensAtMs = campaign.queue()->opensAtMs,
            .workers = std::move(queueCells)}));
    }
    // Every long-lived loop is restarted after a throw, or ends the process when it keeps failing.
    const supervision::Supervision loops = cmd::loopSupervision();
    // With Sentinels: one subscription to +switch-master for the process, moving every connection.
    std::shared_ptr<redis::SentinelWatch> sentinelWatch;
    if (!config.redis.sentinels.empty()) {
        sentinelWatch = redis::SentinelWatch::create(first.ioc.get_executor(), config.redis.sentinels,
                                                     config.redis.masterName);
        for (auto& worker : workers) {
            sentinelWatch->follow(worker->redis);
            if (worker->bookingRedis) sentinelWatch->follow(worker->bookingRedis);
        }
        sentinelWatch->start(loops);
    }
    std::shared_ptr<redis::AckQuorumWatch> ackQuorumWatch;
    if (ackLease) {
        // Its connection to the primary moves with the others on +switch-master.
        auto primaryLink = redis::RedisConnection::create(first.ioc.get_executor(), config.redis);
        if (sentinelWatch) sentinelWatch->follow(primaryLink);
        ackQuorumWatch = redis::AckQuorumWatch::create(
            first.ioc.get_executor(), config.redis.sentinels, config.redis.masterName, std::move(primaryLink),
            ackLease, config.ackQuorum, [&health](bool inForce) { health.sentinelMajority.store(inForce); });
        ackQuorumWatch->start(loops);
    }
    for (auto& worker : workers) {
        if (queueTicker) queueTicker->addSubscriber(worker->ioc.get_executor(), worker->queueSnapshots);
        publisher.addSubscriber(worker->ioc.get_executor(), worker->snapshots);
        worker->startRedis(loops);
        worker->listener.start(loops);
    }
    publisher.start(loops);
    if (queueTicker) queueTicker->start(loops);

    asio::signal_set signals(first.ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code signalError, int) {
        if (!signalError)
            asio::co_spawn(first.ioc,
                           shutDown(workers, publisher, queueTicker.get(), sentinelWatch.get(),
                                    ackQuorumWatch.get(), health, config.drainTimeout),
                           asio::detached);
    });

    // Named after the port actually bound, so PORT=0 and a restart on the port it got agree.
    if (config.relayConsumer.empty()) config.relayConsumer = hostName() + ":" + std::to_string(port);
    if (config.kafkaBrokers.empty()) {
        spdlog::warn(
            "KAFKA_BROKERS is not set: booking events wait in the outbox (backlog at /readyz) until a "
            "relay runs");
    } else {
        relay = cmd::EventRelay::start(config, sentinelWatch.get());
        if (!relay) return 1;
    }

    // Last, once nothing can refuse the start any more: whoever reads the file may connect.
    if (!config.portFile.empty() && !cmd::writeAtomically(config.portFile, std::to_string(port))) {
        spdlog::critical("--port-file/PORT_FILE: cannot write {}", config.portFile);
        return 1;
    }
    spdlog::info(
        "jkjav-server listening on {}:{} ({} threads), campaign '{}' with {} slots at {} locations, "
        "redis {}",
        config.bindAddress, port, config.threads, campaign.name(), campaign.totalCapacity(),
        campaign.locations().size(),
        config.redis.sentinels.empty() ? config.redis.host + ":" + std::to_string(config.redis.port)
                                       : "primary '" + config.redis.masterName + "' through " +
                                             std::to_string(config.redis.sentinels.size()) + " Sentinels");

    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < workers.size(); ++i) threads.emplace_back(runWorker, std::ref(*workers[i]));
    runWorker(first);
    for (auto& thread : threads) thread.join();
    relay.reset();
    http::RequestCounts total;
    for (const auto& worker : workers) {
        total.read += worker->listener.requestCounts().read;
        total.answered += worker->listener.requestCounts().answered;
    }
    // Equal numbers are the drain's promise kept: nothing read was left unanswered.
    spdlog::info("drain: {} requests read, {} answered", total.read, total.answered);
    if (!config.portFile.empty()) std::remove(config.portFile.c_str());  // the port is no longer ours
    spdlog::info("stopped");
    return 0;
}
