// Unit and integration tests never see the developer's configuration or .data directory.
process.env.LOG_LEVEL ??= 'silent';
