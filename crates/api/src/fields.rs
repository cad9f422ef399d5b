//! Every bad field of a body or query at once, each with a code.
//!
//! serde stops at the first error. To name the others, [`collect`] records it, puts a
//! stand-in of the kind the field takes in its place (or drops a field the request does
//! not have), and reads the input again, until it reads or nothing more can be done. The
//! stand-in that satisfies a field also tells its kind (an id, a date, one of the listed
//! values), which gives the code and an English message. serde's own words are never
//! passed on: they name parser internals and can echo what was sent (an identity code).
//! Valid input is read once, exactly as serde reads it: this runs only after a failure.

use aukiolo_domain::validation::codes;
use aukiolo_domain::FieldError;
use serde::de::DeserializeOwned;

/// One step of a field's path: an object's key or a list's index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Where a read failed and serde's message (kept internal: it is only classified).
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) at: Vec<Step>,
    pub(crate) message: String,
}

impl Failure {
    /// From serde_path_to_error's path and the inner error's text.
    pub(crate) fn new(path: &serde_path_to_error::Path, message: String) -> Self {
        use serde_path_to_error::Segment;
        let at = path
            .iter()
            .filter_map(|s| match s {
                Segment::Map { key } => Some(Step::Key(key.clone())),
                Segment::Seq { index } => Some(Step::Index(*index)),
                Segment::Enum { .. } | Segment::Unknown => None,
            })
            .collect();
        Failure { at, message }
    }

    /// The field the failure is about: for a missing or unknown field, the one named in
    /// the message (serde reports it at its parent).
    fn field(&self) -> Vec<Step> {
        let mut at = self.at.clone();
        match self.named_field() {
            // An unknown field may be reported at itself already.
            Some(name) if at.last() != Some(&Step::Key(name.clone())) => at.push(Step::Key(name)),
            _ => {}
        }
        at
    }

    fn named_field(&self) -> Option<String> {
        ["missing field `", "unknown field `"]
            .iter()
            .find_map(|p| self.message.strip_prefix(p))
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    }

    fn is_missing(&self) -> bool {
        self.message.starts_with("missing field `")
    }

    fn is_unknown_field(&self) -> bool {
        self.message.starts_with("unknown field `")
    }

    /// The values an enum takes, as serde lists them after "expected".
    fn variants(&self) -> Vec<String> {
        if !self.message.starts_with("unknown variant `") {
            return Vec::new();
        }
        let Some((_, expected)) = self.message.split_once("expected") else { return Vec::new() };
        expected.split('`').skip(1).step_by(2).map(str::to_owned).collect()
    }
}

/// A value put in place of a bad or missing one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stand {
    Text,
    Id,
    Instant,
    Day,
    Clock,
    Variant(String),
    Number,
    Bool,
    List,
    Object,
}

impl Stand {
    /// The text form of a stand-in, for inputs whose values are all text (queries).
    pub(crate) fn text(&self) -> Option<&str> {
        Some(match self {
            Stand::Text => "x",
            Stand::Id => "00000000-0000-0000-0000-000000000000",
            Stand::Instant => "2000-01-01T00:00:00Z",
            Stand::Day => "2000-01-01",
            Stand::Clock => "00:00",
            Stand::Variant(v) => v,
            Stand::Number => "0",
            Stand::Bool => "true",
            Stand::List | Stand::Object => return None,
        })
    }

    /// The code and message of a field that this stand-in satisfied.
    fn describe(&self) -> (&'static str, String) {
        match self {
            Stand::Id => (codes::INVALID_UUID, "must be an id (a UUID)".into()),
            Stand::Instant => {
                (codes::INVALID_DATE, "must be an RFC 3339 instant, e.g. 2027-03-22T09:00:00Z".into())
            }
            Stand::Day => (codes::INVALID_DATE, "must be a date YYYY-MM-DD".into()),
            Stand::Clock => (codes::INVALID_DATE, "must be a time HH:MM".into()),
            Stand::Variant(_) => (codes::UNKNOWN_VALUE, String::new()),
            Stand::Text => (codes::INVALID_TYPE, "must be a string".into()),
            Stand::Number => (codes::INVALID_TYPE, "must be a number".into()),
            Stand::Bool => (codes::INVALID_TYPE, "must be true or false".into()),
            Stand::List => (codes::INVALID_TYPE, "must be a list".into()),
            Stand::Object => (codes::INVALID_TYPE, "must be an object".into()),
        }
    }
}

/// The order stand-ins are tried in: a plain string first, so that a string field given a
/// number is told it takes a string, not an id.
const STANDS: [Stand; 9] = [
    Stand::Text,
    Stand::Id,
    Stand::Instant,
    Stand::Day,
    Stand::Clock,
    Stand::Number,
    Stand::Bool,
    Stand::List,
    Stand::Object,
];

/// Something read with serde that a stand-in can be put into.
pub(crate) trait Input: Clone {
    fn read<T: DeserializeOwned>(&self) -> Result<T, Failure>;
    /// Puts `value` at `at`; false if the input cannot hold it there.
    fn put(&mut self, at: &[Step], value: &Stand) -> bool;
    fn remove(&mut self, at: &[Step]);
    /// Whether the value at `at` is an explicit null (taken as missing).
    fn is_null(&self, at: &[Step]) -> bool;
}

/// The path as the API names fields: `address.postal_code`, `rules[2].start`.
pub(crate) fn name(at: &[Step]) -> String {
    let mut out = String::new();
    for step in at {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// How many times [`collect`] reads the input at most (a booking with every field wrong
/// takes about 40).
const READS: usize = 400;

/// Every bad field of `input`, which failed to read as `T` with `first`.
pub(crate) fn collect<T: DeserializeOwned, I: Input>(mut input: I, first: Failure) -> Vec<FieldError> {
    let mut errors: Vec<(Vec<Step>, FieldError)> = Vec::new();
    let mut failure = first;
    // Each round settles one field. The reads are bounded so that a large body full of
    // bad values costs a bounded amount of work: past the budget, the fields found so far
    // are the answer.
    let mut budget = READS;
    while budget > 0 {
        budget -= 1;
        let at = failure.field();
        let inside_reported = errors.iter().any(|(p, _)| at.len() > p.len() && at.starts_with(p));
        let error = if failure.is_unknown_field() {
            input.remove(&at);
            Some(FieldError::new(name(&at), codes::UNKNOWN_FIELD, "is not a field of this request"))
        } else {
            let Satisfied { stand, input: next, variants } =
                match satisfy::<T, I>(&input, &at, &failure, &mut budget) {
                    Some(found) => found,
                    None => {
                        // A value no stand-in satisfies (a custom reader's): named, and left
                        // out so that the fields after it are read; a required one ends it.
                        push(&mut errors, at.clone(), unsatisfied(&failure, &input, &at), inside_reported);
                        input.remove(&at);
                        match input.read::<T>() {
                            Err(next) if next.field() != at && budget > 0 => {
                                failure = next;
                                continue;
                            }
                            _ => break,
                        }
                    }
                };
            let missing = failure.is_missing() || input.is_null(&at);
            input = next;
            Some(if missing {
                FieldError::new(name(&at), codes::REQUIRED, "is required")
            } else {
                let (code, message) = match &stand {
                    Stand::Variant(_) => {
                        (codes::UNKNOWN_VALUE, format!("must be one of: {}", variants.join(", ")))
                    }
                    _ if failure.message.starts_with("invalid value: integer")
                        || failure.message.starts_with("invalid value: floating")
                        || failure.message.contains("too large")
                        || failure.message.contains("too small") =>
                    {
                        (codes::OUT_OF_RANGE, "is out of range".to_owned())
                    }
                    other => other.describe(),
                };
                FieldError::new(name(&at), code, message)
            })
        };
        if let Some(error) = error {
            push(&mut errors, at, error, inside_reported);
        }
        match input.read::<T>() {
            Ok(_) => break,
            Err(next) if next.field() == failure.field() && !next.is_unknown_field() => break,
            Err(next) => failure = next,
        }
    }
    errors.into_iter().map(|(_, e)| e).collect()
}

fn push(errors: &mut Vec<(Vec<Step>, FieldError)>, at: Vec<Step>, error: FieldError, inside_reported: bool) {
    if !inside_reported && !errors.iter().any(|(p, _)| *p == at) {
        errors.push((at, error));
    }
}

/// What is said of a field no stand-in satisfies (a value a custom reader refused).
fn unsatisfied<I: Input>(failure: &Failure, input: &I, at: &[Step]) -> FieldError {
    if failure.is_missing() || input.is_null(at) {
        FieldError::new(name(at), codes::REQUIRED, "is required")
    } else if !failure.variants().is_empty() {
        FieldError::new(
            name(at),
            codes::UNKNOWN_VALUE,
            format!("must be one of: {}", failure.variants().join(", ")),
        )
    } else {
        FieldError::new(name(at), codes::INVALID, "is invalid")
    }
}

/// A stand-in that satisfied a field, the input with it, and the values the field takes
/// if it is an enum.
struct Satisfied<I> {
    stand: Stand,
    input: I,
    variants: Vec<String>,
}

/// The first stand-in after which the read no longer fails at `at`.
fn satisfy<T: DeserializeOwned, I: Input>(
    input: &I,
    at: &[Step],
    failure: &Failure,
    budget: &mut usize,
) -> Option<Satisfied<I>> {
    let field = failure.field();
    let mut variants = failure.variants();
    let mut tries: Vec<Stand> = variants.iter().take(1).cloned().map(Stand::Variant).collect();
    tries.extend(STANDS);
    let mut i = 0;
    while i < tries.len() {
        let stand = tries[i].clone();
        i += 1;
        let mut next = input.clone();
        if !next.put(at, &stand) {
            continue;
        }
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        match next.read::<T>() {
            Ok(_) => return Some(Satisfied { stand, input: next, variants }),
            Err(f) if f.field() != field => return Some(Satisfied { stand, input: next, variants }),
            Err(f) => {
                let listed = f.variants();
                if let Some(v) = listed.first() {
                    if !tries.contains(&Stand::Variant(v.clone())) {
                        tries.insert(i, Stand::Variant(v.clone()));
                    }
                    variants = listed;
                }
            }
        }
    }
    None
}
