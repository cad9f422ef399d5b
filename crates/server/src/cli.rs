//! The command line.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "aukiolo", version, about = "Appointment-based office opening system")]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes, so they all reach the same database.
#[derive(Debug, Args)]
pub struct Common {
    /// Directory of the embedded database and generated secrets [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Configuration file (TOML) layered over the defaults
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (migrates the database first)
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free one)
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Seed a demo office network into an empty database
        #[arg(long)]
        demo: bool,
    },
    /// Send the outbox's e-mail, without serving HTTP (any number may run at once)
    Worker,
    /// Apply pending database migrations and exit
    Migrate,
    /// Seed the demo office network into an empty database and exit
    Seed,
    /// Remove what is past its retention period (personal data of old bookings, old audit
    /// entries and sent messages) and exit; `serve` also does this daily
    Purge {
        /// Only count what would go; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Copy the embedded SQLite database to a new file, online (`VACUUM INTO`); PostgreSQL
    /// is backed up with its own tools
    Backup {
        /// The copy to write; must not exist yet
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Manage staff accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is read from standard input, or generated and
    /// printed once when standard input is a terminal or empty
    Create {
        #[arg(long)]
        email: String,
        /// advisor, office_manager, pilot_lead or admin
        #[arg(long)]
        role: String,
        /// Office id (required for advisors and office managers)
        #[arg(long, value_name = "ID")]
        office: Option<uuid::Uuid>,
    },
}
