// Who may book: the campaign's age rule, judged from the date of birth in a MyKad number.
#pragma once

#include <optional>

#include "domain/calendar_date.hpp"
#include "domain/campaign.hpp"
#include "domain/person_id.hpp"

namespace jkjav::domain {

enum class EligibilityVerdict {
    kEligible,
    kTooYoung,
    kAgeUnprovable,  // a passport-type id, where the campaign needs an age it cannot show
};

// The year a MyKad holder was born: the century that puts the birth date on or before
// `referenceDate` (nobody books before being born) and within the last hundred years, so with a
// 2021 reference "21" is 2021 and "22" is 1922. nullopt for other ids or an impossible date.
std::optional<CalendarDate> birthDateOf(const PersonId& person, const CalendarDate& referenceDate);

// Whole years lived on `on`. A 29 February birthday counts from 1 March in common years.
int ageOn(const CalendarDate& birth, const CalendarDate& on);

// No rule (minAgeYears 0): everyone. Otherwise MyKad holders of at least minAgeYears on the
// reference date, and passport-type ids only where allowNonMyKad says so (default: not, since
// they carry no date of birth).
EligibilityVerdict judgeEligibility(const std::optional<Eligibility>& rule, const PersonId& person);

}  // namespace jkjav::domain
