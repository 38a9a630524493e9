#include "fixtures.hpp"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace jkjav::testing {

std::string serverBinary() { return JKJAV_SERVER_BINARY; }

AdminRun runAdmin(const std::vector<std::string>& args) {
    TempDir dir;
    const std::string output = dir.path() + "/admin.out";
    std::vector<std::string> argv{JKJAV_ADMIN_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess admin(argv, {}, output);
    AdminRun run{admin.waitForExit(std::chrono::seconds(30)), {}};
    std::ifstream file(output);
    run.output.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    return run;
}

AdminRun seedCampaign(const std::string& campaignFile, const std::string& redisUrl, bool force) {
    std::vector<std::string> args{"seed", "--campaign", campaignFile, "--redis-url", redisUrl};
    if (force) args.emplace_back("--force-reseed");
    return runAdmin(args);
}

RedisProbe::RedisProbe(int port, std::string password) : port_(port), password_(std::move(password)) {}

RedisProbe::~RedisProbe() {
    if (context_ != nullptr) redisFree(context_);
}

std::optional<std::string> RedisProbe::command(const std::vector<std::string>& args) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (context_ == nullptr) {
            const timeval timeout{2, 0};
            context_ = redisConnectWithTimeout("127.0.0.1", port_, timeout);
            if (context_ == nullptr || context_->err != 0) {
                if (context_ != nullptr) redisFree(context_);
                context_ = nullptr;
                return std::nullopt;
            }
            redisSetTimeout(context_, timeout);
            if (!password_.empty()) {
                auto* auth = static_cast<redisReply*>(redisCommand(context_, "AUTH %s", password_.c_str()));
                if (auth != nullptr) freeReplyObject(auth);
            }
        }
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const auto& arg : args) {
            argv.push_back(arg.data());
            lengths.push_back(arg.size());
        }
        auto* reply = static_cast<redisReply*>(
            redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data()));
        if (reply == nullptr) {
            redisFree(context_);
            context_ = nullptr;
            continue;
        }
        std::string text;
        if (reply->type == REDIS_REPLY_INTEGER) {
            text = std::to_string(reply->integer);
        } else if (reply->type == REDIS_REPLY_ARRAY) {
            text = std::to_string(reply->elements);
        } else if (reply->str != nullptr) {
            text.assign(reply->str, reply->len);
        } else if (reply->type == REDIS_REPLY_NIL) {
            text = "(nil)";
        }
        freeReplyObject(reply);
        return text;
    }
    return std::nullopt;
}

long long RedisProbe::integer(const std::vector<std::string>& args) {
    const auto text = command(args);
    if (!text || *text == "(nil)") return -1;
    return std::stoll(*text);
}

std::vector<std::map<std::string, std::string>> RedisProbe::newestEntries(const std::string& stream,
                                                                          int count) {
    std::vector<std::map<std::string, std::string>> entries;
    if (!command({"PING"})) return entries;  // (re)connects
    auto* reply =
        static_cast<redisReply*>(redisCommand(context_, "XREVRANGE %s + - COUNT %d", stream.c_str(), count));
    if (reply == nullptr) return entries;
    for (std::size_t i = 0; reply->type == REDIS_REPLY_ARRAY && i < reply->elements; ++i) {
        const redisReply* fields = reply->element[i]->element[1];
        auto& entry = entries.emplace_back();
        for (std::size_t f = 0; f + 1 < fields->elements; f += 2) {
            entry[std::string(fields->element[f]->str, fields->element[f]->len)] =
                std::string(fields->element[f + 1]->str, fields->element[f + 1]->len);
        }
    }
    freeReplyObject(reply);
    return entries;
}

RedisServer::RedisServer(std::string dataDir, bool appendOnly, int port, std::string password)
    : dataDir_(std::move(dataDir)),
      appendOnly_(appendOnly),
      port_(port == 0 ? freeLoopbackPort() : port),
      portGivenOut_(port != 0),
      password_(std::move(password)) {}

RedisServer::~RedisServer() {
    probe_.reset();
    process_.reset();
}

void RedisServer::start() {
    // redis-server cannot listen on port 0 and say which port it got: a free port is picked, and
    // should another process bind it first, Redis exits and the next free port is tried.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (attempt > 0) port_ = freeLoopbackPort();
        if (launch()) {
            portGivenOut_ = true;  // restarts come back on this port, where clients look for them
            return;
        }
        if (portGivenOut_) break;
    }
    throw std::runtime_error("redis-server did not start on port " + std::to_string(port_));
}

bool RedisServer::launch() {
    probe_.reset();
    std::vector<std::string> argv{"redis-server",
                                  "--bind",
                                  "127.0.0.1",
                                  "--port",
                                  std::to_string(port_),
                                  "--dir",
                                  dataDir_,
                                  "--save",
                                  "",
                                  "--appendonly",
                                  appendOnly_ ? "yes" : "no",
                                  "--appendfsync",
                                  "always",
                                  "--enable-debug-command",
                                  "local"};
    if (!password_.empty()) argv.insert(argv.end(), {"--requirepass", password_});
    process_ = std::make_unique<ChildProcess>(argv);
    probe_ = std::make_unique<RedisProbe>(port_, password_);
    // The pid in INFO tells this Redis from another test's that got the port first.
    const std::string ours = "process_id:" + std::to_string(process_->pid()) + "\r\n";
    bool answered = false;
    eventually([&] {
        if (!process_->running()) return true;
        const auto info = probe_->command({"INFO", "server"});
        // PING answers PONG only once an AOF is loaded.
        answered = info && info->find(ours) != std::string::npos && probe_->command({"PING"}) == "PONG";
        return answered;
    });
    if (!answered) process_.reset();  // SIGKILL and reap, if it still runs
    return answered;
}

void RedisServer::kill() {
    process_->signal(SIGKILL);
    process_->waitForExit(std::chrono::milliseconds(5000));
}

void RedisServer::pause() { process_->signal(SIGSTOP); }
void RedisServer::resume() { process_->signal(SIGCONT); }

long long RedisServer::unreadBytes() const {
    // /proc/net/tcp: "sl local_address rem_address st tx_queue:rx_queue ...", addresses and
    // queues in hex; Redis's side of each connection has its port as the local one.
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line);  // header
    long long unread = 0;
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues;
        fields >> slot >> local >> remote >> state >> queues;
        const auto colon = local.find(':');
        if (colon == std::string::npos || std::stoi(local.substr(colon + 1), nullptr, 16) != port_) continue;
        if (state != "01") continue;  // ESTABLISHED only, not the listening socket
        unread += std::stoll(queues.substr(queues.find(':') + 1), nullptr, 16);
    }
    return unread;
}

JkjavServer::JkjavServer(std::string campaignFile, std::string redisUrl,
                         std::map<std::string, std::string> extraEnv, std::string logFile)
    : campaignFile_(std::move(campaignFile)),
      redisUrl_(std::move(redisUrl)),
      extraEnv_(std::move(extraEnv)),
      logFile_(std::move(logFile)) {}

JkjavServer::~JkjavServer() {
    if (process_ && process_->running()) stop();
}

int readPortFile(const std::string& path, ChildProcess& process) {
    int port = 0;
    eventually([&] {
        std::ifstream file(path);
        if (file >> port) return true;
        return !process.running();
    });
    if (port <= 0 || port > 65535) {
        throw std::runtime_error("jkjav-server wrote no port to " + path +
                                 (process.running() ? " within 10 s" : " before it exited"));
    }
    return port;
}

void JkjavServer::start(bool waitReady) {
    const std::string portFile = portDir_.path() + "/port";
    std::filesystem::remove(portFile);
    std::map<std::string, std::string> env{{"PORT", std::to_string(port_)},
                                           {"PORT_FILE", portFile},
                                           {"REDIS_URL", redisUrl_},
                                           {"CAMPAIGN_FILE", campaignFile_},
                                           {"THREADS", "2"},
                                           {"SNAPSHOT_MS", "50"},
                                           // Tests are many people behind one address: no per-IP
                                           // limit unless a suite sets one.
                                           {"RATE_LIMIT_LOOKUPS_PER_IP", "0"}};
    for (const auto& [key, value] : extraEnv_) env[key] = value;
    if (waitReady) {
        const AdminRun seeded = seedCampaign(campaignFile_, redisUrl_);
        if (seeded.exitCode != 0) throw std::runtime_error("jkjav-admin seed failed: " + seeded.output);
    }
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{serverBinary()}, env, logFile_);
    port_ = readPortFile(portFile, *process_);
    HttpClient client(port_);
    const char* probe = waitReady ? "/readyz" : "/healthz";
    if (!eventually([&] { return client.get(probe).status == 200; })) {
        throw std::runtime_error(std::string("jkjav-server did not answer ") + probe);
    }
}

std::optional<int> JkjavServer::stop() {
    process_->signal(SIGTERM);
    return process_->waitForExit(std::chrono::milliseconds(15'000));
}

void JkjavServer::kill() {
    process_->signal(SIGKILL);
    process_->waitForExit(std::chrono::milliseconds(5000));
}

}  // namespace jkjav::testing
