//! The `params` module: the enums of params that allow only some values
//! (named by [`crate::model::params::ParamEnums`]).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{ident, string_enum};
use crate::model::features::Enabled;
use crate::model::params::{ParamEnum, ParamEnums};

/// The whole `params` module; each enum is compiled only with its features
/// (`users`, in the order of `enums`: those of the resources whose actions
/// take it, and the recorded ones; `all`: how many resources there are).
pub fn module(enums: &ParamEnums, users: &[BTreeSet<String>], all: usize, enabled: &Enabled) -> TokenStream {
    let emitted: Vec<(&ParamEnum, &BTreeSet<String>)> =
        enums.enums.iter().zip(users).filter(|(_, users)| enabled.item(users)).collect();
    let items = emitted.iter().map(|(e, users)| item(e, users, all));
    // The import is compiled with the enums that use it.
    let modules = emitted.iter().flat_map(|(_, users)| users.iter().cloned()).collect();
    let import = match emitted.is_empty() {
        true => quote!(),
        false => {
            let cfg = crate::model::features::cfg(&modules, all);
            quote!(#cfg use serde::{Deserialize, Serialize};)
        }
    };
    quote! {
        //! The values of params that allow only some: one enum per param and set
        //! of values, shared by every action that takes it.
        //!
        //! Setters and arguments take [`impl IntoParam<Enum>`](crate::IntoParam):
        //! the enum, or text sent as it is. Values this client does not know
        //! travel in the `Unknown` variant.

        #import

        #(#items)*
    }
}

fn item(e: &ParamEnum, users: &BTreeSet<String>, all: usize) -> TokenStream {
    let cfg = crate::model::features::cfg(users, all);
    let users: Vec<String> =
        e.users.iter().map(|u| format!("[`{}`](crate::{}::{})", u.action, u.module, u.builder)).collect();
    let text = format!("The values of the `{}` param of {}.", e.param, users.join(", "));
    let name = ident(&e.name);
    let enum_item = string_enum(&e.name, &text, &e.values, &cfg);
    quote! {
        #enum_item

        #cfg
        impl crate::IntoParam<#name> for #name {
            fn into_param_text(self) -> String {
                match self {
                    Self::Unknown(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }
    }
}
