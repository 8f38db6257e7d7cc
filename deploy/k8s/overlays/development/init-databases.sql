-- Runs once, when the development PostgreSQL volume is empty: one database per service.
CREATE DATABASE registry;
CREATE DATABASE evaluation;
CREATE DATABASE metrics;
CREATE DATABASE notifier;
