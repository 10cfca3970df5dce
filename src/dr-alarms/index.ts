export * from './dr-alarms';
