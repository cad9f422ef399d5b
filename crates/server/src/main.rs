//! `aukiolo`: the one binary of the service.

mod cli;
mod config;
mod demo;
mod http_limits;
mod prometheus;
mod request_log;
mod retention;
mod secrets;
mod serve;
mod user;
mod worker;

use anyhow::Result;
use aukiolo_store::{pool, Backend, Pool};
use clap::Parser;
use cli::{Cli, Command, UserCommand};
use config::{Overrides, Settings};

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`), as text or as one JSON object
/// per line (`log.format`) with the fields of the request being served.
fn init_tracing(format: config::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        config::LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        config::LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
    }
}

fn run(cli: Cli) -> Result<()> {
    let bind = match &cli.command {
        Command::Serve { bind, .. } => bind.clone(),
        _ => None,
    };
    let settings = Settings::load(&Overrides {
        config_file: cli.common.config.clone(),
        data_dir: cli.common.data_dir.clone(),
        bind,
    })?;
    init_tracing(settings.log.format);
    match cli.command {
        Command::Serve { demo, .. } => serve::run(settings, demo),
        Command::Worker => worker::run(settings),
        Command::Migrate => {
            let backend = Backend::from_url(&settings.database_url())?;
            let mut conn = backend.connect()?;
            let applied = aukiolo_store::migrations::run(&mut conn)?;
            println!("database: {}", backend.describe());
            if applied.is_empty() {
                println!("migrations: up to date");
            } else {
                println!("migrations applied: {}", applied.join(", "));
            }
            Ok(())
        }
        Command::Seed => {
            let (pool, backend) = open_for_command(&settings)?;
            println!("database: {}", backend.describe());
            demo::seed_and_report(&pool, &settings)
        }
        Command::Purge { dry_run } => {
            // A dry run changes nothing, the schema included.
            let (pool, backend) = if dry_run { open_as_is(&settings)? } else { open_for_command(&settings)? };
            println!("database: {}", backend.describe());
            retention::run_once(&pool, &aukiolo_store::clock::Clock::system(), &settings.retention, dry_run)
        }
        Command::Backup { to } => {
            // Not `open_as_is`: the copy before an upgrade is taken with migrations pending.
            let backend = existing(&settings)?;
            let mut conn = backend.connect()?;
            let bytes = aukiolo_store::backup::sqlite_to(&mut conn, &to)?;
            println!("database: {}", backend.describe());
            println!("backed up to {} ({bytes} bytes)", to.display());
            Ok(())
        }
        Command::User { command: UserCommand::Create { email, role, office } } => {
            let (pool, _) = open_for_command(&settings)?;
            user::create(&pool, &email, &role, office)
        }
    }
}

/// Connects to the configured database without migrating it; one that needs migrating is
/// an error.
fn open_as_is(settings: &Settings) -> Result<(Pool, Backend)> {
    let backend = existing(settings)?;
    let pool = pool::connect(backend.clone(), command_pool(settings))?;
    let pending = aukiolo_store::migrations::pending(&mut *pool.get()?)?;
    if !pending.is_empty() {
        anyhow::bail!("the database needs migrations first ({}): run `aukiolo migrate`", pending.join(", "));
    }
    Ok((pool, backend))
}

/// The configured database, which must exist: connecting to a SQLite file that is not there
/// would create it.
fn existing(settings: &Settings) -> Result<Backend> {
    let backend = Backend::from_url(&settings.database_url())?;
    if let Backend::Sqlite(path) = &backend {
        if !path.exists() {
            anyhow::bail!("no database at {}", path.display());
        }
    }
    Ok(backend)
}

/// Connects to the configured database and migrates it, for a process that serves.
pub(crate) fn open(settings: &Settings) -> Result<(Pool, Backend)> {
    open_with(settings, settings.pool_settings())
}

/// Like `open`, for a command that ends when its work is done.
fn open_for_command(settings: &Settings) -> Result<(Pool, Backend)> {
    open_with(settings, command_pool(settings))
}

/// The pool of a command: no connections opened in the background (`PoolSettings::lazy`).
fn command_pool(settings: &Settings) -> pool::PoolSettings {
    pool::PoolSettings { lazy: true, ..settings.pool_settings() }
}

fn open_with(settings: &Settings, pool_settings: pool::PoolSettings) -> Result<(Pool, Backend)> {
    let backend = Backend::from_url(&settings.database_url())?;
    let pool = pool::connect_and_migrate(backend.clone(), pool_settings)?;
    Ok((pool, backend))
}
