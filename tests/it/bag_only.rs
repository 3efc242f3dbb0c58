//! `docseal verify --bag-only`: any BagIt bag, zipped or not, against bags
//! built here, bagit-python 1.9 and the Library of Congress conformance suite.

mod fetch_zip;
mod hostile;
mod kit;
mod rules;
mod suite;
