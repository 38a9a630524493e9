// A test suite sharing one redis-server and one jkjav-server, started once for all its tests.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "fixtures.hpp"

namespace jkjav::testing {

inline const char* kTestCampaign = R"({
  "name": "integration",
  "states": [{"key": "kl", "name": "W.P. Kuala Lumpur"}, {"key": "sel", "name": "Selangor"}],
  "locations": [
    {"code": "PWTC", "name": "PWTC", "state": "kl", "dates": {"from": "20210516", "to": "20210614"},
     "capacityPerDay": 1000},
    {"code": "ONE", "name": "One slot", "state": "sel", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "RACE", "name": "Race", "state": "sel", "dates": [{"date": "20210601", "capacity": 100}]},
    {"code": "MANY", "name": "A hundred dates", "state": "sel", "dates": {"from": "20210101", "to": "20210410"},
     "capacityPerDay": 10}
  ]
})";

class ServerSuite : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { startServers(kTestCampaign); }

    // A suite with a campaign or settings of its own hides SetUpTestSuite and calls this with them.
    // A suite that needs its directory first (to write a file the settings name) may create dir_.
    static void startServers(const char* campaign,
                             const std::map<std::string, std::string>& env = {{"READ_TIMEOUT_MS", "500"},
                                                                              {"IDLE_TIMEOUT_MS", "1500"}}) {
        if (!dir_) dir_ = std::make_unique<TempDir>();
        redis_ = std::make_unique<RedisServer>(dir_->path());
        redis_->start();
        server_ = std::make_unique<JkjavServer>(dir_->write("campaign.json", campaign), redis_->url(), env,
                                                dir_->path() + "/server.log");
        server_->start();
    }
    static void TearDownTestSuite() {
        server_.reset();
        redis_.reset();
        dir_.reset();
    }

    static int port() { return server_->port(); }
    static RedisProbe& redis() { return redis_->probe(); }
    static long long remaining(const std::string& slot) {
        return redis().integer({"HGET", "jkjav:slots", slot});
    }

    static inline std::unique_ptr<TempDir> dir_;
    static inline std::unique_ptr<RedisServer> redis_;
    static inline std::unique_ptr<JkjavServer> server_;
};

}  // namespace jkjav::testing
