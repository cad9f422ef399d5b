//! Response headers of every page: no script or style from anywhere but us and nothing
//! inline (so an injected `<script>` cannot run), no framing, no MIME sniffing, and no
//! caching of pages by default, since most of them show live times or personal data.
//! A page may set its own `Referrer-Policy` or `Cache-Control`; these fill in the rest.

use actix_web::middleware::DefaultHeaders;

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn page_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Cache-Control", "no-store"))
}
