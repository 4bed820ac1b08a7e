export * from './opcodes';
export * from './table';
export * from './registers';
export * from './codec';
export * from './abi';
export * from './costs';
export * from './hex';
export * from './size';
