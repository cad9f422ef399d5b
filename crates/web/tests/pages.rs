//! The pages through HTTP, in each language: status, `lang`, one `h1`, unique titles, the
//! skip link's target, language links to the same page, the security headers, the
//! long-cached assets, and the localised 404.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use aukiolo_store::test_support::TestDb;
use common::World;
use std::collections::HashSet;

/// The citizen pages of this step, by path after the language.
const PAGES: [&str; 5] = ["/", "/accessibility", "/privacy", "/manage/resend", "/book/topic"];
const LANGS: [&str; 3] = ["fi", "sv", "en"];

use common::Page;

async fn get(path: &str) -> Page {
    let db = TestDb::sqlite();
    let world = World::new(&db);
    let app = app!(world);
    let res = test::call_service(&app, TestRequest::get().uri(path).to_request()).await;
    let (status, headers) = (res.status(), res.headers().clone());
    let body = String::from_utf8(test::read_body(res).await.to_vec()).expect("UTF-8");
    Page { status, headers, body }
}

#[actix_web::test]
async fn every_page_in_every_language_is_whole() {
    let mut titles = HashSet::new();
    for lang in LANGS {
        for page in PAGES {
            let path = format!("/{lang}{page}");
            let p = get(&format!("{path}?from=2027-09-14")).await;
            assert_eq!(p.status, StatusCode::OK, "{path}");
            assert_eq!(p.header("content-type"), "text/html; charset=utf-8", "{path}");
            assert!(p.body.starts_with("<!DOCTYPE html>"), "{path}");
            assert!(p.body.contains(&format!("<html lang=\"{lang}\">")), "{path}: lang");
            assert_eq!(p.body.matches("<h1").count(), 1, "{path}: one h1");
            assert_eq!(p.body.matches("<main").count(), 1, "{path}: one main");
            let title = p.between("<title>", "</title>").expect("a title").to_owned();
            assert!(titles.insert(title.clone()), "{path}: the title {title:?} is used twice");
            assert!(p.body.contains("href=\"#main\"") && p.body.contains("id=\"main\""), "{path}: skip link");
            // Language links keep the path and the query; the current one is no link.
            for other in LANGS {
                let link = format!("href=\"/{other}{page}?from=2027-09-14\"");
                assert_eq!(p.body.contains(&link), other != lang, "{path}: link to {other}");
            }
            assert!(!p.body.contains("<script"), "{path}: no script");
            assert!(!p.body.contains("style=\""), "{path}: no inline style");
            // Nothing is fetched from another host: every image and stylesheet is ours.
            let sources = p.body.split("src=\"").skip(1).map(str::to_owned);
            let links = p.body.split("<link").skip(1).filter_map(|tag| {
                let tag = tag.split('>').next()?;
                Some(tag.split("href=\"").nth(1)?.to_owned())
            });
            for url in sources.chain(links) {
                assert!(
                    url.starts_with('/'),
                    "{path}: fetched from elsewhere: {}",
                    &url[..url.len().min(40)]
                );
            }
            let csp = p.header("content-security-policy");
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert_eq!(p.header("x-content-type-options"), "nosniff", "{path}");
            assert_eq!(p.header("cache-control"), "no-store", "{path}");
        }
    }
}

#[actix_web::test]
async fn the_start_page_tells_of_the_other_channels() {
    let p = get("/sv/").await;
    assert!(p.body.contains("Telefonservice: 020 123 4567 (mån–fre 9–16)."), "{}", p.body);
    assert!(p.body.contains("href=\"https://asiointi.example.fi/\""), "{}", p.body);
}

#[actix_web::test]
async fn the_root_sends_newcomers_to_the_finnish_start_page() {
    let p = get("/").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.header("location"), "/fi/");
}

#[actix_web::test]
async fn unknown_pages_are_a_localised_404() {
    for (path, heading) in [
        ("/fi/ei-ole", "Sivua ei löytynyt"),
        ("/sv/finns-inte", "Sidan hittades inte"),
        ("/en/nope", "Page not found"),
    ] {
        let p = get(path).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(p.between("<h1>", "</h1>"), Some(heading), "{path}");
        assert_eq!(p.header("cache-control"), "no-store", "{path}");
    }
    // Only our three languages have pages.
    assert_eq!(get("/de/").await.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn assets_are_ours_and_cached_for_a_year() {
    let page = get("/en/").await;
    for asset in [aukiolo_web::assets::stylesheet(), aukiolo_web::assets::icon()] {
        assert!(page.body.contains(&format!("href=\"{asset}\"")), "{asset} is not linked");
        let a = get(asset).await;
        assert_eq!(a.status, StatusCode::OK, "{asset}");
        assert_eq!(a.header("cache-control"), "public, max-age=31536000, immutable", "{asset}");
        assert!(!a.body.is_empty());
    }
    assert_eq!(get("/static/aukiolo-00000000.css").await.status, StatusCode::NOT_FOUND);
}
