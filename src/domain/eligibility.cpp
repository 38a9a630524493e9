#include "domain/eligibility.hpp"

namespace jkjav::domain {

std::optional<CalendarDate> birthDateOf(const PersonId& person, const CalendarDate& referenceDate) {
    if (person.kind != IdKind::kMyKad) return std::nullopt;
    const int centuryOfReference = referenceDate.year / 100 * 100;
    for (const int year : {centuryOfReference + person.birthYy, centuryOfReference - 100 + person.birthYy}) {
        if (!isValidDate(year, person.birthMonth, person.birthDay)) continue;  // 29 Feb of a common year
        const CalendarDate birth{year, person.birthMonth, person.birthDay};
        if (birth <= referenceDate) return birth;
    }
    return std::nullopt;
}

int ageOn(const CalendarDate& birth, const CalendarDate& on) {
    int age = on.year - birth.year;
    const bool birthdayNotYetReached =
        on.month < birth.month || (on.month == birth.month && on.day < birth.day);
    if (birthdayNotYetReached) --age;
    return age;
}

EligibilityVerdict judgeEligibility(const std::optional<Eligibility>& rule, const PersonId& person) {
    if (!rule || rule->minAgeYears <= 0) {
        const bool allowOthers = !rule || rule->allowNonMyKad.value_or(true);
        return person.kind == IdKind::kMyKad || allowOthers ? EligibilityVerdict::kEligible
                                                            : EligibilityVerdict::kAgeUnprovable;
    }
    if (person.kind != IdKind::kMyKad) {
        return rule->allowNonMyKad.value_or(false) ? EligibilityVerdict::kEligible
                                                   : EligibilityVerdict::kAgeUnprovable;
    }
    const auto birth = birthDateOf(person, rule->referenceDate);
    if (!birth) return EligibilityVerdict::kTooYoung;  // born after the reference date in any century
    return ageOn(*birth, rule->referenceDate) >= rule->minAgeYears ? EligibilityVerdict::kEligible
                                                                   : EligibilityVerdict::kTooYoung;
}

}  // namespace jkjav::domain
