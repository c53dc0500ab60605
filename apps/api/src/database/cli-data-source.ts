import { loadConfig } from '../config/app-config';
import { createDataSource } from './data-source';

// For the typeorm CLI (`npm run migration:generate`), against DATABASE_URL.
const url = loadConfig().databaseUrl;
if (!url) throw new Error('DATABASE_URL must be set to generate migrations');
export default createDataSource(url);
