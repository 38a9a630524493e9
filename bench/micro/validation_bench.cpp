// What checking a booking's fields costs per request, libphonenumber's parse above all.
#include <benchmark/benchmark.h>

#include "domain/booking.hpp"
#include "domain/contact_fields.hpp"
#include "domain/person_id.hpp"
#include "domain/phone_number.hpp"

namespace jkjav::domain {
namespace {

void PhoneForBooking(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(parsePhoneNumber("012-345 6789"));
}
BENCHMARK(PhoneForBooking)->ThreadRange(1, 2);  // two threads: the singleton's locks under contention

// Shapes other than 0... and +60... go through libphonenumber's Parse.
void PhoneForeign(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(parsePhoneNumber("+65 9123 4567"));
}
BENCHMARK(PhoneForeign);

void PhoneForLookup(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(parsePhoneCredential("+60 12-345 6789"));
}
BENCHMARK(PhoneForLookup);

void StoredForms(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(storedPhoneForms("+60123456789"));
}
BENCHMARK(StoredForms);

void NameLatin(benchmark::State& state) {
    for (auto _ : state)
        benchmark::DoNotOptimize(parseText("Muhammad Ali bin Abu Bakar", kMaxNameCharacters));
}
BENCHMARK(NameLatin);

void NameTamil(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(parseText("முருகன் ராமசாமி", kMaxNameCharacters));
}
BENCHMARK(NameTamil);

void MyKad(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(parsePersonId("900127-01-5527"));
}
BENCHMARK(MyKad);

void WholeForm(benchmark::State& state) {
    const BookingForm form{"900127-01-5527",
                           "Fadhil",
                           "Yaacob",
                           "12 Jalan Tun Ismail, 50480 Kuala Lumpur",
                           "PWTC",
                           "012-3456789",
                           "20210516",
                           false,
                           {}};
    for (auto _ : state) benchmark::DoNotOptimize(validateBookingForm(form));
}
BENCHMARK(WholeForm);

}  // namespace
}  // namespace jkjav::domain
