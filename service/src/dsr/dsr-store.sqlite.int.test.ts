import { sqliteHarness } from '../testing/ledger-harness.js';
import { dsrStoreContract } from './dsr-store.contract.js';

describe('DsrStore contract: SQLite', () => dsrStoreContract(sqliteHarness));
