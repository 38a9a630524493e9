#include "adapters/metrics/recorder_metrics.hpp"

namespace jkjav::metrics {
namespace {

prometheus::Family<prometheus::Counter>& counters(prometheus::Registry& registry, const char* name,
                                                  const char* help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

RecorderMetrics::RecorderMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      recorded_(counters(*registry_, "jkjav_recorder_events_recorded_total",
                         "Booking events applied to PostgreSQL, by type")),
      skipped_(counters(*registry_, "jkjav_recorder_events_skipped_total",
                        "Events read but without effect, by reason: duplicate (eventId already recorded), "
                        "conflict (no row could be written for a creation), malformed (no booking event)")),
      created_(recorded_.Add({{"type", "booking.created"}})),
      cancelled_(recorded_.Add({{"type", "booking.cancelled"}})),
      duplicates_(skipped_.Add({{"reason", "duplicate"}})),
      conflicts_(skipped_.Add({{"reason", "conflict"}})),
      malformed_(skipped_.Add({{"reason", "malformed"}})),
      storeFailures_(counters(*registry_, "jkjav_recorder_store_failures_total",
                              "Batches PostgreSQL did not commit (away or refusing); each is retried")
                         .Add({})),
      batchSize_(prometheus::BuildHistogram()
                     .Name("jkjav_recorder_batch_size")
                     .Help("Events per committed transaction")
                     .Register(*registry_)
                     .Add({}, prometheus::Histogram::BucketBoundaries{1, 10, 50, 100, 500, 1000, 2000, 5000,
                                                                      10000})),
      transactionSeconds_(
          prometheus::BuildHistogram()
              .Name("jkjav_recorder_transaction_duration_seconds")
              .Help("A batch's PostgreSQL transaction, begin to commit")
              .Register(*registry_)
              .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                               0.25, 0.5, 1, 2.5, 5})),
      lag_(prometheus::BuildGauge()
               .Name("jkjav_recorder_consumer_lag")
               .Help("Events in this recorder's partitions of the topic not yet read (-1: not known yet)")
               .Register(*registry_)
               .Add({})),
      storeUp_(prometheus::BuildGauge()
                   .Name("jkjav_recorder_database_up")
                   .Help("1 when the last attempt to write to PostgreSQL committed")
                   .Register(*registry_)
                   .Add({})) {
    lag_.Set(-1);
    // Built once the schema is migrated, i.e. PostgreSQL has just answered: up until a write fails.
    storeUp_.Set(1);
}

void RecorderMetrics::batchRecorded(std::size_t events, const app::RecordResult& result,
                                    std::chrono::nanoseconds transaction) {
    created_.Increment(static_cast<double>(result.created));
    cancelled_.Increment(static_cast<double>(result.cancelled));
    duplicates_.Increment(static_cast<double>(result.duplicates));
    conflicts_.Increment(static_cast<double>(result.conflicts));
    batchSize_.Observe(static_cast<double>(events));
    transactionSeconds_.Observe(std::chrono::duration<double>(transaction).count());
    storeUp_.Set(1);
}

void RecorderMetrics::malformedSkipped(std::size_t messages) {
    malformed_.Increment(static_cast<double>(messages));
}

void RecorderMetrics::storeFailed() {
    storeFailures_.Increment();
    storeUp_.Set(0);
}

void RecorderMetrics::lagMeasured(std::optional<long long> lag) {
    if (lag) lag_.Set(static_cast<double>(*lag));
}

}  // namespace jkjav::metrics
