//! `aukiolo`: the one binary of the service.

mod cli;
mod config;
mod demo;
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
    init_tracing();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
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
            let (pool, backend) = open(&settings)?;
            println!("database: {}", backend.describe());
            demo::seed_and_report(&pool, &settings)
        }
        Command::Purge { dry_run } => {
            let (pool, backend) = open(&settings)?;
            println!("database: {}", backend.describe());
            retention::run_once(&pool, &aukiolo_store::clock::Clock::system(), &settings.retention, dry_run)
        }
        Command::User { command: UserCommand::Create { email, role, office } } => {
            let (pool, _) = open(&settings)?;
            user::create(&pool, &email, &role, office)
        }
    }
}

/// Connects to the configured database and migrates it.
pub(crate) fn open(settings: &Settings) -> Result<(Pool, Backend)> {
    let backend = Backend::from_url(&settings.database_url())?;
    let pool = pool::connect_and_migrate(backend.clone(), settings.database.pool_size)?;
    Ok((pool, backend))
}
