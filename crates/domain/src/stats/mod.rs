//! Pilot statistics: rates, scores and their confidence intervals.
