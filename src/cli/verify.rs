//! `neardup verify`: candidate pairs on standard input, verified pairs out; a stage of a scan
//! spread over machines (`docs/SIGNATURES.md`).

use clap::Args;

use std::io::Write;

use super::Outcome;
use super::args::{ParamArgs, ReadArgs, RecordArgs};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub params: ParamArgs,

    #[command(flatten)]
    pub fields: RecordArgs,

    /// Treat invalid UTF-8 as an error instead of repairing it.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: VerifyArgs) -> neardup::Result<Outcome> {
    let read = ReadArgs {
        paths: vec!["-".into()],
        fields: args.fields,
        strict: args.strict,
        skip_invalid: false,
        no_mmap: true,
    };
    let params = args
        .params
        .apply(neardup::Params::default(), read.options())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    neardup::report::verified::verify_stream(std::io::stdin().lock(), &params, &mut out)?;
    out.flush().map_err(|e| neardup::Error::io("<stdout>", e))?;
    Ok(Outcome::Clean)
}
