//! The pilot's metrics (DESIGN §5): from plain facts about bookings, walk-ins, capacity,
//! open times and questionnaire responses to one row of figures per group, and pilot
//! against control with 95 % intervals.
//!
//! Pure arithmetic, no I/O: the store reads the [`Facts`] of a period, [`compute`] and
//! [`compare`] turn them into figures, and [`table`] flattens those for CSV. Questionnaire
//! figures of fewer than five responses are withheld here, at the source, so no view can
//! leak them (DESIGN §4.7), and so are the figures that would let one be derived
//! ([`disclosure`]).

mod comparison;
mod difference_in_differences;
pub mod disclosure;
mod facts;
mod figures;
mod group;
mod instruments;
mod measures;
mod rows;
mod series;
pub mod table;
mod tally;
mod week;

pub use comparison::{
    compare, compare_with, BeforeAfter, Compared, ComparedMeasure, Comparison, Side, CONTROL_GROUP,
    PILOT_GROUP,
};
pub use difference_in_differences::{pilot_group_start, DidMeasure, DifferenceInDifferences};
pub use disclosure::{Disclosure, Question};
pub use facts::{
    AccessFact, BookingFact, CapacityFact, Facts, InvitationFact, OfficeFact, ResponseAnswers, ResponseFact,
    WalkInFact,
};
pub use figures::{
    complementary, fewer_answers, fewer_responses, ChannelAwareness, Durations, Mean, Nps, Rate,
    ThirdNextAvailable, WalkIns, ACCESS_NOT_WEEKLY, CAPACITY_NOT_PER_TOPIC,
};
pub use group::{Dimension, GroupBy, GroupKey, UnknownDimensions};
pub use instruments::{
    instruments, Distribution, GroupInstruments, Instruments, COULD_ONLINE, NONE_KNOWN, PREFERENCES,
};
pub use measures::keys as measure_keys;
pub use rows::{compute, compute_with, MetricsRow};
pub use series::{figure, Figure};
pub use tally::{KNOWN_CHANNELS, LATE_CANCELLATION};
pub use week::Week;

#[cfg(test)]
mod fixtures;
