//! The tables, written once for both backends through the custom `Id` and `Instant` types.

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    offices (id) {
        id -> Id,
        name_fi -> Text,
        name_sv -> Text,
        name_en -> Text,
        street -> Text,
        postal_code -> Text,
        municipality -> Text,
        time_zone -> Text,
        service_mode -> Text,
        pilot_group -> Text,
        languages -> Text,
        phone -> Nullable<Text>,
        created_at -> Instant,
        updated_at -> Instant,
        booking_rules -> Text,
        pilot_start -> Nullable<Date>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    topics (id) {
        id -> Id,
        code -> Text,
        name_fi -> Text,
        name_sv -> Text,
        name_en -> Text,
        duration_minutes -> Integer,
        channels -> Text,
        bring_fi -> Text,
        bring_sv -> Text,
        bring_en -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    advisors (id) {
        id -> Id,
        office_id -> Id,
        name -> Text,
        languages -> Text,
        channels -> Text,
        active -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    advisor_topics (advisor_id, topic_id) {
        advisor_id -> Id,
        topic_id -> Id,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    schedule_rules (id) {
        id -> Id,
        advisor_id -> Id,
        weekday -> SmallInt,
        start_time -> Time,
        end_time -> Time,
        channel -> Text,
        slot_minutes -> Integer,
        breaks -> Text,
        valid_from -> Nullable<Date>,
        valid_until -> Nullable<Date>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    absences (id) {
        id -> Id,
        advisor_id -> Id,
        starts_at -> Instant,
        ends_at -> Instant,
        kind -> Text,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    closures (id) {
        id -> Id,
        office_id -> Id,
        first_day -> Date,
        last_day -> Date,
        reason -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    slots (id) {
        id -> Id,
        advisor_id -> Id,
        office_id -> Id,
        starts_at -> Instant,
        ends_at -> Instant,
        channel -> Text,
        state -> Text,
        booking_id -> Nullable<Id>,
        conflict -> Nullable<Text>,
        conflict_since -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    staff_users (id) {
        id -> Id,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        office_id -> Nullable<Id>,
        advisor_id -> Nullable<Id>,
        created_at -> Instant,
        active -> Bool,
        access_version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    staff_sessions (id) {
        id -> Text,
        staff_id -> Id,
        access_version -> BigInt,
        csrf_token -> Text,
        created_at -> Instant,
        last_seen_at -> Instant,
        expires_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    login_failures (id) {
        id -> Id,
        throttle_key -> Text,
        failed_at -> Instant,
    }
}

diesel::table! {
    rate_counts (counter_key, window_start) {
        counter_key -> Text,
        window_start -> BigInt,
        hits -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    bookings (id) {
        id -> Id,
        reference -> Text,
        office_id -> Id,
        advisor_id -> Id,
        topic_id -> Id,
        slot_id -> Id,
        slot_count -> Integer,
        channel -> Text,
        starts_at -> Instant,
        ends_at -> Instant,
        language -> Text,
        status -> Text,
        booked_by -> Text,
        name -> Text,
        personal_id_enc -> Text,
        personal_id_hash -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        description -> Text,
        needs -> Text,
        rescheduled_from -> Nullable<Id>,
        cancel_reason -> Nullable<Text>,
        created_at -> Instant,
        updated_at -> Instant,
        purged_at -> Nullable<Instant>,
        invitation_sent_at -> Nullable<Instant>,
        invitation_answered -> Nullable<Bool>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    booking_events (id) {
        id -> Id,
        booking_id -> Id,
        at -> Instant,
        actor -> Text,
        kind -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    idempotency_keys (key) {
        key -> Text,
        request_hash -> Text,
        booking_id -> Id,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    call_attempts (id) {
        id -> Id,
        booking_id -> Id,
        at -> Instant,
        staff_id -> Id,
        reached -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    visit_assessments (booking_id) {
        booking_id -> Id,
        author_id -> Id,
        resolved_at_once -> Bool,
        segment -> Text,
        other_channel -> Text,
        personal_service_reasons -> Text,
        other_channels_discussed -> Bool,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    walk_ins (id) {
        id -> Id,
        office_id -> Id,
        at -> Instant,
        topic_id -> Id,
        outcome -> Text,
        booking_id -> Nullable<Id>,
        staff_id -> Id,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    audit_log (id) {
        id -> Id,
        at -> Instant,
        staff_id -> Id,
        action -> Text,
        booking_id -> Nullable<Id>,
        office_id -> Nullable<Id>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    outbox (id) {
        id -> Id,
        kind -> Text,
        booking_id -> Nullable<Id>,
        recipient -> Text,
        locale -> Text,
        payload -> Text,
        due_at -> Instant,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Instant>,
        created_at -> Instant,
        sent_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    questionnaires (key, version) {
        key -> Text,
        version -> Integer,
        template -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    questionnaire_invitations (id) {
        id -> Id,
        booking_id -> Nullable<Id>,
        questionnaire_key -> Text,
        questionnaire_version -> Integer,
        token_hash -> Text,
        created_at -> Instant,
        expires_at -> Instant,
        answered_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::*;

    questionnaire_responses (id) {
        id -> Id,
        questionnaire_key -> Text,
        questionnaire_version -> Integer,
        office_id -> Id,
        topic_id -> Id,
        channel -> Text,
        week -> Text,
        pilot_group -> Text,
        booking_mode -> Text,
    }
}

diesel::table! {
    response_answers (response_id, question_key) {
        response_id -> crate::sql_types::Id,
        question_key -> Text,
        score -> Nullable<Integer>,
        choice -> Nullable<Text>,
        choices -> Nullable<Text>,
        yes_no -> Nullable<Bool>,
        text_value -> Nullable<Text>,
    }
}

diesel::joinable!(advisors -> offices (office_id));
diesel::joinable!(staff_sessions -> staff_users (staff_id));
diesel::joinable!(questionnaire_invitations -> bookings (booking_id));
diesel::joinable!(response_answers -> questionnaire_responses (response_id));
diesel::joinable!(outbox -> bookings (booking_id));
diesel::joinable!(booking_events -> bookings (booking_id));
diesel::joinable!(advisor_topics -> advisors (advisor_id));
diesel::joinable!(advisor_topics -> topics (topic_id));
diesel::joinable!(schedule_rules -> advisors (advisor_id));
diesel::joinable!(absences -> advisors (advisor_id));
diesel::joinable!(closures -> offices (office_id));
diesel::joinable!(slots -> advisors (advisor_id));
diesel::joinable!(visit_assessments -> bookings (booking_id));

diesel::allow_tables_to_appear_in_same_query!(
    offices,
    topics,
    advisors,
    advisor_topics,
    schedule_rules,
    absences,
    closures,
    slots,
    staff_users,
    staff_sessions,
    login_failures,
    bookings,
    booking_events,
    idempotency_keys,
    call_attempts,
    visit_assessments,
    walk_ins,
    audit_log,
    outbox,
    questionnaires,
    questionnaire_invitations,
    questionnaire_responses,
    response_answers,
);
