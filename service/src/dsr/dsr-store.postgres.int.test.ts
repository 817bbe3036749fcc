import { postgresHarness } from '../testing/ledger-harness.js';
import { dsrStoreContract } from './dsr-store.contract.js';

describe('DsrStore contract: PostgreSQL', () => dsrStoreContract(postgresHarness));
