export { startServer, type RunningServer } from './app.js';
export { loadConfig, type ServerConfig } from './config.js';
export { createLogger, scrubSecrets, type Logger } from './logger.js';
