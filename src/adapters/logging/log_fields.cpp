#include "adapters/logging/log_fields.hpp"

namespace jkjav::logging {

namespace {
thread_local std::span<const LogField> tCurrentFields;
}  // namespace

std::span<const LogField> currentLogFields() { return tCurrentFields; }

namespace detail {

FieldsInUse::FieldsInUse(std::span<const LogField> fields) : previous_(tCurrentFields) {
    tCurrentFields = fields;
}

FieldsInUse::~FieldsInUse() { tCurrentFields = previous_; }

}  // namespace detail

}  // namespace jkjav::logging
