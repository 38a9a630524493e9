// Test seam, compiled only into test builds (JKJAV_TEST_SEAMS, as the booking store's): with
// JKJAV_FAILPOINT=loops-throw-once, the first run of every supervised loop (acceptors, idle sweeps,
// Redis supervision and watchdogs, Sentinel watch, snapshot publisher, queue ticker) throws once it
// has started; the supervision test reads each loop's name in the log and sees the server recover.
#pragma once

#include <string_view>

#include "adapters/supervision/supervised_loop.hpp"

namespace jkjav::cmd {

inline constexpr std::string_view kLoopsThrowOnce = "loops-throw-once";

// How the server's loops are supervised: the default policy, with the failpoint's wrap when it is on
// (never, in other builds).
supervision::Supervision loopSupervision();

}  // namespace jkjav::cmd
