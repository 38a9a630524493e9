// Reading the system of record back for jkjav-admin reconcile: every active booking and the
// booked_counts view, in one snapshot (a repeatable-read transaction).
#pragma once

#include <string>
#include <variant>

#include "app/reconciliation.hpp"

namespace jkjav::postgres {

std::variant<app::LedgerView, std::string> readRecordedLedger(const std::string& url);

}  // namespace jkjav::postgres
